// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.Servitor;
import dev.servitor.account.NewServiceAccount;
import dev.servitor.apikey.ApiKeyStore;
import dev.servitor.apikey.CreatedKey;
import dev.servitor.apikey.NewKey;
import dev.servitor.authn.BroadcastInvalidation;
import dev.servitor.caller.Caller;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.common.ServiceException;
import dev.servitor.config.ServitorConfig;
import dev.servitor.crypto.SecretHash;
import dev.servitor.testing.HoldingProxy;
import dev.servitor.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two nodes on one PostgreSQL, node A reaching it through a proxy that can go silent like a cut
 * network (no reset, no bytes). A revocation on B must never be answered VALID by A past the
 * documented bound: A notices the silence, stops trusting its caches, and answers 503
 * (unavailable) rather than hang or answer from a stale cache. Changes are announced by their
 * own transaction, so a node that dies right after a commit cannot keep others unaware.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionTest {
    /** The watchdog's bound, plus slack for a busy machine. */
    static final long BLIND_WITHIN_MS = PgChangeBus.DEAF_AFTER_NANOS / 1_000_000 + 2_000;
    ServitorConfig.Storage direct;
    HoldingProxy proxy;
    Servitor a;
    Servitor b;
    Caller admin;
    final ExecutorService calls = Executors.newCachedThreadPool();

    @BeforeAll
    void start() throws Exception {
        direct = TestDatabases.postgres();
        HoldingProxy.Fronted fronted = HoldingProxy.inFrontOf(direct);
        proxy = fronted.proxy();
        b = Servitor.start(ServitorConfig.defaults().withStorage(direct), Clock.systemUTC());
        a = Servitor.start(ServitorConfig.defaults().withStorage(fronted.storage()), Clock.systemUTC());
        admin = b.verifier().verify(b.generatedAdminKey().orElseThrow(), "127.0.0.1").caller();
    }

    @AfterAll
    void stop() throws Exception {
        calls.shutdownNow();
        proxy.release();
        a.close();
        b.close();
        proxy.close();
    }

    /** A's answer for {@code key}: its code, or "unavailable" when A refuses to answer; never waits past 20 s. */
    private String answerOnA(String key) throws Exception {
        Future<String> f = calls.submit(() -> {
            try {
                return a.verifier().verify(key, "127.0.0.1").code().name();
            } catch (ServiceException e) {
                return e.code().code();
            }
        });
        return f.get(20, TimeUnit.SECONDS);
    }

    /** Verifies {@code key} on A once the announcement of its creation has reached A, so A's answer comes from its cache. */
    private void cacheOnA(String key) throws Exception {
        Thread.sleep(600);
        assertThat(answerOnA(key)).isEqualTo("VALID");
    }

    @Test
    void a_node_cut_off_silently_stops_answering_valid_for_a_key_revoked_elsewhere_within_the_bound() throws Exception {
        b.serviceAccounts().create(admin, new NewServiceAccount("cut-bot", null, null, null, null, null), false, false);
        CreatedKey k = b.keys().create(admin, KeyOwnerRef.serviceAccount("cut-bot"), new NewKey("k", null, null, null, null));
        cacheOnA(k.secret());
        proxy.hold();
        long cutAt = System.nanoTime();
        try {
            b.keys().revoke(admin, KeyOwnerRef.serviceAccount("cut-bot"), k.key().id());
            String last;
            long lastValidMs = 0;
            do {
                last = answerOnA(k.secret());
                if ("VALID".equals(last)) lastValidMs = (System.nanoTime() - cutAt) / 1_000_000;
            } while ("VALID".equals(last) && lastValidMs < BLIND_WITHIN_MS + 5_000);
            System.out.printf("silent cut: A's last VALID after %d ms, then '%s' after %d ms%n", lastValidMs, last,
                (System.nanoTime() - cutAt) / 1_000_000);
            assertThat(last).isNotEqualTo("VALID");
            assertThat(lastValidMs).isLessThanOrEqualTo(BLIND_WITHIN_MS);
            assertThat(answerOnA(k.secret())).as("and it stays so").isNotEqualTo("VALID");
        } finally {
            proxy.release();
        }
        long releasedAt = System.nanoTime();
        String after;
        do {
            Thread.sleep(200);
            after = answerOnA(k.secret());
        } while (!"REVOKED".equals(after) && System.nanoTime() - releasedAt < 30_000_000_000L);
        assertThat(after).as("once the link is back, A reads the truth").isEqualTo("REVOKED");
    }

    @Test
    void a_change_is_announced_by_its_own_commit_and_a_rolled_back_one_never() throws Exception {
        b.serviceAccounts().create(admin, new NewServiceAccount("tx-bot", null, null, null, null, null), false, false);
        CreatedKey kept = b.keys().create(admin, KeyOwnerRef.serviceAccount("tx-bot"), new NewKey("kept", null, null, null, null));
        CreatedKey gone = b.keys().create(admin, KeyOwnerRef.serviceAccount("tx-bot"), new NewKey("gone", null, null, null, null));
        cacheOnA(kept.secret());
        assertThat(answerOnA(gone.secret())).isEqualTo("VALID");
        BroadcastInvalidation announcer = new BroadcastInvalidation(b.verifier());
        // a revocation that rolls back: nothing is revoked and nothing is announced
        try {
            b.database().store().write(tx -> {
                tx.table(ApiKeyStore.class).revoke(kept.key().id(), java.time.Instant.now());
                announcer.keysChanged(tx, List.of(SecretHash.sha256Hex(kept.secret())));
                throw new IllegalStateException("roll back");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        // a revocation whose node does nothing after the commit (as if killed there): B's
        // own local eviction is never run, yet A hears of it from the commit itself
        b.database().store().write(tx -> {
            tx.table(ApiKeyStore.class).revoke(gone.key().id(), java.time.Instant.now());
            tx.announce("k:" + SecretHash.sha256Hex(gone.secret()));
            return null;
        });
        long t0 = System.nanoTime();
        while (!"REVOKED".equals(answerOnA(gone.secret()))) {
            assertThat(System.nanoTime() - t0).as("A hears the commit within 1 s").isLessThan(1_000_000_000L);
            Thread.sleep(5);
        }
        assertThat(answerOnA(kept.secret())).isEqualTo("VALID");
    }

    @Test
    void revoking_a_key_already_revoked_answers_404_and_announces_the_revocation_again() throws Exception {
        b.serviceAccounts().create(admin, new NewServiceAccount("retry-bot", null, null, null, null, null), false, false);
        CreatedKey k = b.keys().create(admin, KeyOwnerRef.serviceAccount("retry-bot"), new NewKey("k", null, null, null, null));
        cacheOnA(k.secret());
        // a revocation committed whose announcement never went out (a crash of an older node)
        try (Connection c = b.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE id = ?")) {
            s.setLong(1, System.currentTimeMillis());
            s.setString(2, k.key().id());
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        assertThat(answerOnA(k.secret())).as("A still answers from its cache").isEqualTo("VALID");
        ServiceException retried = org.junit.jupiter.api.Assertions.assertThrows(ServiceException.class,
            () -> b.keys().revoke(admin, KeyOwnerRef.serviceAccount("retry-bot"), k.key().id()));
        assertThat(retried.code().status()).isEqualTo(404);
        long t0 = System.nanoTime();
        while (!"REVOKED".equals(answerOnA(k.secret()))) {
            assertThat(System.nanoTime() - t0).as("the retry reaches A within 1 s").isLessThan(1_000_000_000L);
            Thread.sleep(5);
        }
    }
}
