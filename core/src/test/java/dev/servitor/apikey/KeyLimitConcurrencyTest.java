// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

import static dev.servitor.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.account.NewServiceAccount;
import dev.servitor.audit.AuditQuery;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.testing.EngineContract;
import dev.servitor.testing.Race;
import dev.servitor.testing.TestDatabases.Engine;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live-key limit holds when many creations for one account race: creation takes the
 * owner's row lock before counting, so exactly the limit succeeds on both engines.
 */
class KeyLimitConcurrencyTest {
    private static final int LIMIT = 50; // the default of docs/api.md
    private static final int ATTEMPTS = 100;
    private static final int THREADS = 16;

    @Nested
    class OnSqlite extends Contract {
        @Override protected Engine engine() { return Engine.SQLITE; }
    }

    @Nested
    class OnPostgres extends Contract {
        @Override protected Engine engine() { return Engine.POSTGRES; }
    }

    abstract static class Contract extends EngineContract {

        private enum Outcome { CREATED, LIMIT_REACHED }

        @Test
        @Timeout(value = 60, unit = TimeUnit.SECONDS)
        void concurrent_creations_stop_exactly_at_the_limit() throws Exception {
            ServiceAccount sa = servitor.serviceAccounts().create(admin,
                new NewServiceAccount("racer", null, null, null, null, null), false, false).account();
            KeyOwnerRef owner = KeyOwnerRef.serviceAccount("racer");

            List<Outcome> outcomes = Race.run(THREADS, ATTEMPTS, i -> {
                try {
                    servitor.keys().create(admin, owner, new NewKey("k" + i, null, null, null, null));
                    return Outcome.CREATED;
                } catch (ServiceException e) {
                    if (e.code() == ErrorCode.KEY_LIMIT_REACHED) return Outcome.LIMIT_REACHED;
                    throw e;
                }
            });

            assertThat(outcomes).filteredOn(o -> o == Outcome.CREATED).hasSize(LIMIT);
            assertThat(outcomes).filteredOn(o -> o == Outcome.LIMIT_REACHED).hasSize(ATTEMPTS - LIMIT);
            int live = servitor.store().read(tx -> tx.table(ApiKeyStore.class).countLive(sa.id(), t.clock().instant()));
            assertThat(live).isEqualTo(LIMIT);
            assertThat(servitor.keys().list(admin, owner)).hasSize(LIMIT);
            assertThat(servitor.serviceAccounts().get(admin, "racer").keyCount()).isEqualTo(LIMIT);
            // exactly one audit event per created key, and the chain stayed a chain under contention
            assertThat(countEvents("key.create", "service_account:racer")).isEqualTo(LIMIT);
            assertThat(servitor.audit().verify(admin).intact()).isTrue();

            // a revoked key no longer counts toward the limit: one more fits, then the limit holds again
            ApiKey first = servitor.keys().list(admin, owner).get(0);
            servitor.keys().revoke(admin, owner, first.id());
            servitor.keys().create(admin, owner, new NewKey("replacement", null, null, null, null));
            assertRefused(ErrorCode.KEY_LIMIT_REACHED,
                () -> servitor.keys().create(admin, owner, new NewKey("one-too-many", null, null, null, null)));
        }

        private long countEvents(String action, String target) {
            long n = 0;
            String token = null;
            do {
                Page<?> page = servitor.audit().list(admin, new AuditQuery(null, action, target, null, null),
                    PageRequest.of(1000, token));
                n += page.items().size();
                token = page.nextPageToken();
            } while (token != null);
            return n;
        }
    }
}
