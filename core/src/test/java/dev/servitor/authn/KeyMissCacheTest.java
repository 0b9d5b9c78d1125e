// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.crypto.SecretFormat;
import dev.servitor.testing.TestDatabases.Engine;
import dev.servitor.testing.TestServitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Unknown well-formed keys are remembered apart from real ones, so a flood of them evicts no real key. */
class KeyMissCacheTest {
    private static TestServitor t;

    @BeforeAll
    static void start() {
        t = TestServitor.start(Engine.SQLITE);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void a_flood_of_unknown_keys_lands_in_the_miss_cache_and_leaves_real_keys_cached() {
        CredentialVerifier verifier = t.servitor().verifier();
        assertThat(verifier.verify(t.adminKey(), TestServitor.CLIENT_IP).valid()).isTrue();
        long realKeys = verifier.cachedKeys();
        String prefix = t.adminKey().substring(0, t.adminKey().indexOf('_'));

        for (int i = 0; i < 2_000; i++) {
            String unknown = SecretFormat.generate(prefix);
            assertThat(SecretFormat.isWellFormed(unknown)).isTrue();
            assertThat(verifier.verify(unknown, TestServitor.CLIENT_IP).code()).isEqualTo(VerificationCode.NOT_FOUND);
        }

        assertThat(verifier.cachedKeys()).isEqualTo(realKeys).isPositive();
        assertThat(verifier.rememberedMisses()).isEqualTo(2_000);
        assertThat(verifier.verify(t.adminKey(), TestServitor.CLIENT_IP).valid()).isTrue();
    }
}
