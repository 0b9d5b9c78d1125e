// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.Servitor;
import dev.servitor.account.NewServiceAccount;
import dev.servitor.apikey.CreatedKey;
import dev.servitor.apikey.NewKey;
import dev.servitor.audit.AuditEvent;
import dev.servitor.audit.AuditQuery;
import dev.servitor.authn.VerificationCode;
import dev.servitor.caller.Caller;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.common.PageRequest;
import dev.servitor.config.ServitorConfig;
import dev.servitor.org.OrgService;
import dev.servitor.policy.CredentialPolicy;
import dev.servitor.testing.MutableClock;
import dev.servitor.testing.TestDatabases;
import dev.servitor.testing.WebhookReceiver;
import dev.servitor.testing.WebhookReceiver.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scheduled key events (docs/api.md "Lifecycle events") on real nodes with a hand-moved clock: each
 * notice is written once (audit event, outbox event and delivery), across restarts and by two nodes
 * on one PostgreSQL, and reaches a real receiver; dormant keys are revoked as the system.
 */
class KeyLifecycleSchedulerTest {
    WebhookReceiver receiver;
    MutableClock clock;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        clock = MutableClock.atDefaultStart();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    /** A node whose rounds the test runs by hand ({@link KeyLifecycleScheduler#runOnce}): its own timer is stopped. */
    private static Servitor node(ServitorConfig config, MutableClock clock) {
        Servitor node = Servitor.start(config, clock);
        node.keyLifecycle().close();
        return node;
    }

    private static ServitorConfig config(ServitorConfig.Storage storage) {
        return ServitorConfig.defaults().withStorage(storage).withOutbound(new ServitorConfig.Outbound(List.of(), true));
    }

    /** The admin as the key verifies now (which also counts as a use of the key). */
    private static Caller admin(Servitor node, String key) {
        Caller caller = node.verifier().verify(key, "127.0.0.1").caller();
        node.lastUsed().flush();
        return caller;
    }

    private String subscribe(Servitor node, Caller admin, String... events) {
        return node.webhooks().create(admin, new NewWebhook(receiver.url(), List.of(events), null, null)).endpoint().id();
    }

    private static void account(Servitor node, Caller admin, String name) {
        node.serviceAccounts().create(admin, new NewServiceAccount(name, null, null, null, null, null), false, false);
    }

    private static CreatedKey key(Servitor node, Caller admin, String account, String name, Long expiresInDays) {
        return node.keys().create(admin, KeyOwnerRef.serviceAccount(account), new NewKey(name, null, null, null, expiresInDays));
    }

    private static List<AuditEvent> audited(Servitor node, Caller admin, String action) {
        return node.audit().list(admin, new AuditQuery(null, action, null, null, null), PageRequest.first(1000)).items();
    }

    private static List<AuditEvent> audited(Servitor node, Caller admin, String action, String keyId) {
        return audited(node, admin, action).stream().filter(e -> e.target().endsWith("/key:" + keyId)).toList();
    }

    private static List<Delivery> deliveries(Servitor node, Caller admin, String endpoint, String type) {
        return node.webhooks().deliveries(admin, endpoint, PageRequest.first(1000)).items().stream()
            .filter(d -> d.eventType().equals(type)).toList();
    }

    /** Waits for the worker to relay {@code expected} events of {@code type} (one delivery each, no event twice). */
    private static void awaitDeliveries(Servitor node, Caller admin, String endpoint, String type, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (deliveries(node, admin, endpoint, type).size() < expected && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(deliveries(node, admin, endpoint, type)).hasSize(expected).extracting(Delivery::eventId).doesNotHaveDuplicates();
    }

    @Test
    void each_threshold_fires_once_and_a_restart_does_not_repeat_it() throws Exception {
        ServitorConfig config = config(TestDatabases.sqlite());
        String adminKey;
        String endpoint;
        String monthly;
        String shortLived;
        String frozen;
        try (Servitor a = node(config, clock)) {
            adminKey = a.generatedAdminKey().orElseThrow();
            Caller admin = admin(a, adminKey);
            endpoint = subscribe(a, admin, "key.expiring", "key.expired");
            account(a, admin, "ci-bot");
            account(a, admin, "paused");
            monthly = key(a, admin, "ci-bot", "monthly", 30L).key().id();
            shortLived = key(a, admin, "ci-bot", "three-days", 3L).key().id();
            key(a, admin, "ci-bot", "forever", null);
            frozen = key(a, admin, "paused", "frozen", 30L).key().id();
            a.serviceAccounts().setDisabled(admin, "paused", true);

            a.keyLifecycle().runOnce();
            assertThat(audited(a, admin, "key.expiring")).isEmpty(); // 30 days away; the 3-day key was never 7 days from expiry
            clock.advance(Duration.ofDays(2).plusHours(1)); // the 3-day key is within a day of its end
            a.keyLifecycle().runOnce();
            a.keyLifecycle().runOnce();
            assertThat(audited(a, admin, "key.expiring", shortLived)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("days_left", "1"));

            clock.advance(Duration.ofDays(21)); // day 23: the monthly key is 7 days from expiry
            a.keyLifecycle().runOnce();
            a.keyLifecycle().runOnce();
            List<AuditEvent> first = audited(a, admin, "key.expiring", monthly);
            assertThat(first).singleElement().satisfies(e -> {
                assertThat(e.actor()).isEqualTo("system");
                assertThat(e.target()).isEqualTo("service_account:ci-bot/key:" + monthly);
                assertThat(e.details()).containsEntry("days_left", "7").containsEntry("name", "monthly");
            });
            Received received = receiver.await(r -> r.type().equals("key.expiring")
                && ((String) r.data().get("target")).endsWith(monthly));
            assertThat(received.data().get("audit_event_id")).isEqualTo(first.get(0).id());
        }

        try (Servitor b = node(config, clock)) { // a restart finds the notices already written
            Caller admin = admin(b, adminKey);
            b.keyLifecycle().runOnce();
            assertThat(audited(b, admin, "key.expiring", monthly)).hasSize(1);

            clock.advance(Duration.ofDays(6)); // day 29: a day left
            b.keyLifecycle().runOnce();
            b.keyLifecycle().runOnce();
            assertThat(audited(b, admin, "key.expiring", monthly)).extracting(e -> e.details().get("days_left"))
                .containsExactlyInAnyOrder("7", "1");

            clock.advance(Duration.ofDays(1)); // day 30: expired
            b.keyLifecycle().runOnce();
            clock.advance(Duration.ofDays(2));
            b.keyLifecycle().runOnce();
            assertThat(audited(b, admin, "key.expired", monthly)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("expires_at", "2030-01-31T00:00:00Z"));
            assertThat(audited(b, admin, "key.expired", shortLived)).isEmpty(); // expired more than 7 days before any round: old news
            assertThat(audited(b, admin, "key.expiring", frozen)).isEmpty(); // its account is disabled
            assertThat(audited(b, admin, "key.expired", frozen)).isEmpty();
            assertThat(audited(b, admin, "key.expiring")).hasSize(3);
            assertThat(audited(b, admin, "key.expired")).hasSize(1);
            awaitDeliveries(b, admin, endpoint, "key.expiring", 3);
            awaitDeliveries(b, admin, endpoint, "key.expired", 1);
            receiver.await(r -> r.type().equals("key.expired") && ((String) r.data().get("target")).endsWith(monthly));
        }
    }

    @Test
    void a_key_unused_for_the_dormancy_period_is_announced_and_revoked_as_the_system_and_a_used_one_is_not() throws Exception {
        try (Servitor node = node(config(TestDatabases.sqlite()), clock)) {
            String adminKey = node.generatedAdminKey().orElseThrow();
            Caller admin = admin(node, adminKey);
            String endpoint = subscribe(node, admin, "key.dormant", "key.revoked");
            account(node, admin, "nightly");
            CreatedKey idle = key(node, admin, "nightly", "idle", null);
            CreatedKey busy = key(node, admin, "nightly", "busy", null);
            // the organization's own credential policy, as PATCH /v1/org sets it (the node reads it through its wiring)
            node.orgs().update(admin, new OrgService.Patch(null, null, null, null, null, null),
                new CredentialPolicy.Patch(null, false, 30, false, null, null));

            clock.advance(Duration.ofDays(20));
            assertThat(node.verifier().verify(busy.secret(), "127.0.0.1").valid()).isTrue();
            node.lastUsed().flush();
            clock.advance(Duration.ofDays(10).plusMinutes(1)); // idle: 30 days since creation; busy: 10 days since its use
            admin = admin(node, adminKey); // the admin's own key is in use too
            node.keyLifecycle().runOnce();
            node.keyLifecycle().runOnce();

            assertThat(node.verifier().verify(idle.secret(), "127.0.0.1").code()).isEqualTo(VerificationCode.REVOKED);
            assertThat(node.verifier().verify(busy.secret(), "127.0.0.1").valid()).isTrue();
            assertThat(audited(node, admin, "key.dormant")).singleElement().satisfies(e -> {
                assertThat(e.actor()).isEqualTo("system");
                assertThat(e.target()).isEqualTo("service_account:nightly/key:" + idle.key().id());
                assertThat(e.details()).containsEntry("last_used_at", "never").containsEntry("dormant_after_days", "30");
            });
            assertThat(audited(node, admin, "key.revoke")).singleElement().satisfies(e -> {
                assertThat(e.actor()).isEqualTo("system");
                assertThat(e.details()).containsEntry("key_id", idle.key().id()).containsEntry("reason", "dormant");
            });
            awaitDeliveries(node, admin, endpoint, "key.dormant", 1);
            awaitDeliveries(node, admin, endpoint, "key.revoked", 1);
            receiver.await(r -> r.type().equals("key.dormant"));
            receiver.await(r -> r.type().equals("key.revoked"));

            node.orgs().update(admin, new OrgService.Patch(null, null, null, null, null, null),
                new CredentialPolicy.Patch(null, false, null, true, null, null));
            clock.advance(Duration.ofDays(60));
            node.keyLifecycle().runOnce(); // no policy: nothing is dormant, however long unused
            assertThat(node.verifier().verify(busy.secret(), "127.0.0.1").valid()).isTrue();
            assertThat(audited(node, admin, "key.dormant")).hasSize(1);
        }
    }

    @Test
    void two_nodes_on_postgresql_announce_each_key_once() throws Exception {
        ServitorConfig config = config(TestDatabases.postgres());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Servitor a = node(config, clock); Servitor b = node(config, clock)) {
            String adminKey = a.generatedAdminKey().orElseThrow();
            Caller admin = admin(a, adminKey);
            String endpoint = subscribe(a, admin, "key.expiring", "key.dormant", "key.revoked");
            int keys = 2 * KeyLifecycleScheduler.BATCH + 30; // more than one batch each
            for (int i = 0; i < keys; i++) {
                if (i % 40 == 0) account(a, admin, "fleet-" + i / 40);
                key(a, admin, "fleet-" + i / 40, "k" + i, 30L);
            }
            clock.advance(Duration.ofDays(23).plusHours(1));
            race(pool, a, b);
            assertThat(audited(a, admin, "key.expiring")).hasSize(keys)
                .extracting(AuditEvent::target).doesNotHaveDuplicates();
            awaitDeliveries(a, admin, endpoint, "key.expiring", keys);

            a.keyLifecycle().dormancyPolicy((tx, orgId) -> 20);
            b.keyLifecycle().dormancyPolicy((tx, orgId) -> 20);
            admin = admin(a, adminKey); // in use: not dormant
            race(pool, a, b);
            assertThat(audited(a, admin, "key.dormant")).hasSize(keys).extracting(AuditEvent::target).doesNotHaveDuplicates();
            assertThat(audited(a, admin, "key.revoke")).hasSize(keys).extracting(AuditEvent::target).doesNotHaveDuplicates();
            awaitDeliveries(a, admin, endpoint, "key.dormant", keys);
            awaitDeliveries(a, admin, endpoint, "key.revoked", keys);
            assertThat(a.verifier().verify(adminKey, "127.0.0.1").valid()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Both nodes run rounds at the same moment, three times each. */
    private static void race(ExecutorService pool, Servitor a, Servitor b) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (Servitor node : List.of(a, b)) {
            runs.add(pool.submit((Callable<Void>) () -> {
                go.await();
                for (int i = 0; i < 3; i++) node.keyLifecycle().runOnce();
                return null;
            }));
        }
        go.countDown();
        for (Future<?> run : runs) run.get();
    }
}
