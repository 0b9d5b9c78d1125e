// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servitor.Servitor;
import dev.servitor.account.NewServiceAccount;
import dev.servitor.apikey.ApiKey;
import dev.servitor.apikey.KeyRestrictions;
import dev.servitor.apikey.KeyRestrictions.RateLimit;
import dev.servitor.apikey.NewKey;
import dev.servitor.caller.Caller;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.config.ServitorConfig;
import dev.servitor.testing.HoldingProxy;
import dev.servitor.testing.MutableClock;
import dev.servitor.testing.TestDatabases;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node that cannot reach its PostgreSQL store fails closed (docs/key-limits.md): it admits
 * only the uses of a lease it already holds (counted in the store before the outage), then
 * refuses with 503 {@code unavailable}; credits cannot be spent at all. Once the store is back,
 * uses are admitted again.
 */
class KeyLimitsOutageTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void a_node_cut_from_the_store_admits_only_what_it_has_leased() throws Exception {
        HoldingProxy.Fronted fronted = HoldingProxy.inFrontOf(TestDatabases.postgres());
        MutableClock clock = MutableClock.atDefaultStart();
        try (HoldingProxy proxy = fronted.proxy();
             Servitor node = Servitor.start(ServitorConfig.defaults().withStorage(fronted.storage()), clock)) {
            Caller admin = node.verifier().verify(node.generatedAdminKey().orElseThrow(), "127.0.0.1").caller();
            node.serviceAccounts().create(admin, new NewServiceAccount("cut-off", null, null, null, null, null), false, false);
            ApiKey rated = node.keys().create(admin, KeyOwnerRef.serviceAccount("cut-off"), new NewKey("rated", null, null, null, null)).key();
            ApiKey credited = node.keys().create(admin, KeyOwnerRef.serviceAccount("cut-off"), new NewKey("credited", null, null, null, null)).key();
            KeyRestrictions rate = new KeyRestrictions(null, null, new RateLimit(100, 10), null, null); // leases of 5
            KeyRestrictions credits = new KeyRestrictions(null, null, null, 10L, null);
            assertThat(node.keyUsage().admit(rated, rate, clock.instant()).admitted()).isTrue();
            assertThat(node.keyUsage().admit(credited, credits, clock.instant()).remaining()).isEqualTo(9);

            proxy.refuse();
            for (int i = 0; i < LeasedRateLimiter.blockSize(rate.rateLimit()) - 1; i++) {
                assertThat(node.keyUsage().admit(rated, rate, clock.instant()).admitted()).as("from the lease held").isTrue();
            }
            assertThatThrownBy(() -> node.keyUsage().admit(rated, rate, clock.instant()))
                .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThatThrownBy(() -> node.keyUsage().admit(credited, credits, clock.instant()))
                .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));

            proxy.release();
            assertThat(node.keyUsage().admit(rated, rate, clock.instant()).admitted()).isTrue();
            assertThat(node.keyUsage().admit(credited, credits, clock.instant()).remaining()).as("the refused use spent nothing").isEqualTo(8);
        }
    }
}
