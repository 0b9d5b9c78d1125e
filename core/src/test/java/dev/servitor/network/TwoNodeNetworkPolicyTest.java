// SPDX-License-Identifier: Apache-2.0
package dev.servitor.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.Servitor;
import dev.servitor.account.NewServiceAccount;
import dev.servitor.account.ServiceAccountPatch;
import dev.servitor.apikey.CreatedKey;
import dev.servitor.apikey.NewKey;
import dev.servitor.authn.VerificationCode;
import dev.servitor.caller.Caller;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.config.ServitorConfig;
import dev.servitor.testing.TestDatabases;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two nodes on one PostgreSQL: a network policy changed, attached or detached on node A
 * applies on node B once B hears of it (the {@code np} payload), although B had the
 * organization's policies cached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodeNetworkPolicyTest {
    Servitor a;
    Servitor b;
    Caller admin;

    @BeforeAll
    void start() {
        ServitorConfig config = ServitorConfig.defaults().withStorage(TestDatabases.postgres());
        a = Servitor.start(config, Clock.systemUTC());
        b = Servitor.start(config, Clock.systemUTC());
        admin = a.verifier().verify(a.generatedAdminKey().orElseThrow(), "127.0.0.1").caller();
    }

    @AfterAll
    void stop() {
        a.close();
        b.close();
    }

    private static void within5s(Supplier<Boolean> condition) throws InterruptedException {
        long t0 = System.nanoTime();
        while (!condition.get()) {
            if (System.nanoTime() - t0 > 5_000_000_000L) throw new AssertionError("not within 5 s");
            Thread.sleep(2);
        }
    }

    @Test
    void a_policy_change_on_one_node_applies_on_the_other() throws Exception {
        a.networkPolicies().create(admin, new NewNetworkPolicy("office", null, List.of("203.0.113.0/24"), List.of()));
        a.serviceAccounts().create(admin, new NewServiceAccount("edge-bot", null, null, null, null, null), false, false);
        CreatedKey k = a.keys().create(admin, KeyOwnerRef.serviceAccount("edge-bot"), new NewKey("k", null, null, null, null));
        assertThat(b.verifier().verify(k.secret(), "198.51.100.1").code()).isEqualTo(VerificationCode.VALID); // cached on B

        a.serviceAccounts().update(admin, "edge-bot", new ServiceAccountPatch(null, null, null, null, Optional.of("office"), null));
        within5s(() -> b.verifier().verify(k.secret(), "198.51.100.1").code() == VerificationCode.IP_NOT_ALLOWED);
        assertThat(b.verifier().verify(k.secret(), "203.0.113.1").code()).isEqualTo(VerificationCode.VALID);

        a.networkPolicies().update(admin, "office", new NetworkPolicyPatch(null, null, List.of(), List.of("203.0.113.1")));
        within5s(() -> b.verifier().verify(k.secret(), "203.0.113.1").code() == VerificationCode.IP_NOT_ALLOWED);
        assertThat(b.verifier().verify(k.secret(), "198.51.100.1").code()).isEqualTo(VerificationCode.VALID);

        a.networkPolicies().attachToOrganization(admin, "office");
        String adminKey = a.keys().create(admin, KeyOwnerRef.user("admin"), new NewKey("k2", null, null, null, null)).secret();
        within5s(() -> b.verifier().verify(adminKey, "203.0.113.1").code() == VerificationCode.IP_NOT_ALLOWED);
        a.networkPolicies().attachToOrganization(admin, null);
        within5s(() -> b.verifier().verify(adminKey, "203.0.113.1").code() == VerificationCode.VALID);
    }
}
