// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servitor.account.NewServiceAccount;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.testing.EngineContract;
import dev.servitor.testing.TestDatabases.Engine;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Restrictions are validated in core, stored in api_keys.restrictions (V14) and read back alike on both engines. */
class KeyRestrictionsStoreTest {

    @Nested
    class OnSqlite extends Contract {
        @Override protected Engine engine() { return Engine.SQLITE; }
    }

    @Nested
    class OnPostgres extends Contract {
        @Override protected Engine engine() { return Engine.POSTGRES; }
    }

    abstract static class Contract extends EngineContract {
        private static final KeyOwnerRef OWNER = KeyOwnerRef.serviceAccount("restricted");
        private static final KeyOwnerRef REFUSED = KeyOwnerRef.serviceAccount("refused");

        private NewKey key(String name, RestrictionsInput r) {
            return new NewKey(name, null, null, null, null, "type", "ttl_seconds", r);
        }

        @Test
        void restrictions_round_trip_through_the_store() {
            servitor.serviceAccounts().create(admin, new NewServiceAccount("restricted", null, null, null, null, null), false, false);
            RestrictionsInput in = new RestrictionsInput(List.of("deployments:read", "deployments:read", "*:list"),
                List.of(" 10.0.0.0/8", "2001:db8::1"), new RestrictionsInput.Rate(100L, 60L), 1000L,
                new RestrictionsInput.RefillInput(1000L, "day"));
            CreatedKey created = servitor.keys().create(admin, OWNER, key("r", in));
            KeyRestrictions expected = new KeyRestrictions(List.of("deployments:read", "*:list"), List.of("10.0.0.0/8", "2001:db8::1"),
                new KeyRestrictions.RateLimit(100, 60), 1000L, new KeyRestrictions.Refill(1000, KeyRestrictions.Refill.Interval.DAY));
            assertThat(created.key().restrictions()).isEqualTo(expected);
            ApiKey listed = servitor.keys().list(admin, OWNER).stream().filter(k -> k.id().equals(created.key().id())).findFirst().orElseThrow();
            assertThat(listed.restrictions()).isEqualTo(expected);

            CreatedKey plain = servitor.keys().create(admin, OWNER, key("plain", null));
            ApiKey plainListed = servitor.keys().list(admin, OWNER).stream().filter(k -> k.id().equals(plain.key().id())).findFirst().orElseThrow();
            assertThat(plainListed.restrictions()).isSameAs(KeyRestrictions.NONE);

            // a rotation keeps what the key may do
            CreatedKey rotated = servitor.keys().rotate(admin, OWNER, created.key().id(), 0L);
            assertThat(rotated.key().restrictions()).isEqualTo(expected);
        }

        @Test
        void invalid_restrictions_are_422_naming_the_field() {
            servitor.serviceAccounts().create(admin, new NewServiceAccount("refused", null, null, null, null, null), false, false);
            assertField("restrictions.allowed_ips[1]", ErrorCode.INVALID_IP,
                new RestrictionsInput(null, List.of("10.0.0.0/8", "10.0.0.300"), null, null, null));
            assertField("restrictions.permissions[0]", ErrorCode.INVALID_VALUE,
                new RestrictionsInput(List.of("no spaces"), null, null, null, null));
            assertField("restrictions.rate_limit.limit", ErrorCode.INVALID_VALUE,
                new RestrictionsInput(null, null, new RestrictionsInput.Rate(0L, 60L), null, null));
            assertField("restrictions.rate_limit.period_seconds", ErrorCode.INVALID_VALUE,
                new RestrictionsInput(null, null, new RestrictionsInput.Rate(5L, 86_401L), null, null));
            assertField("restrictions.remaining_uses", ErrorCode.INVALID_VALUE,
                new RestrictionsInput(null, null, null, -1L, null));
            assertField("restrictions.refill", ErrorCode.INVALID_VALUE,
                new RestrictionsInput(null, null, null, null, new RestrictionsInput.RefillInput(5L, "day")));
            assertField("restrictions.refill.interval", ErrorCode.INVALID_VALUE,
                new RestrictionsInput(null, null, null, 5L, new RestrictionsInput.RefillInput(5L, "week")));
            assertThat(servitor.keys().list(admin, REFUSED)).isEmpty();
        }

        private void assertField(String field, ErrorCode code, RestrictionsInput in) {
            assertThatThrownBy(() -> servitor.keys().create(admin, REFUSED, key("bad", in)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.field()).isEqualTo(field);
                });
        }
    }
}
