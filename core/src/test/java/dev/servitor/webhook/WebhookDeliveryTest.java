// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.Servitor;
import dev.servitor.account.NewServiceAccount;
import dev.servitor.caller.Caller;
import dev.servitor.common.PageRequest;
import dev.servitor.config.ServitorConfig;
import dev.servitor.testing.MutableClock;
import dev.servitor.testing.TestDatabases;
import dev.servitor.testing.WebhookReceiver;
import dev.servitor.testing.WebhookReceiver.Received;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No event lost, none sent twice by two nodes: real nodes (two on one PostgreSQL; one SQLite file
 * stopped and started again) against a real receiver.
 */
class WebhookDeliveryTest {
    WebhookReceiver receiver;
    MutableClock clock;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        clock = MutableClock.atDefaultStart();
    }

    @AfterEach
    void stop() {
        receiver.release();
        receiver.close();
    }

    private static ServitorConfig config(ServitorConfig.Storage storage) {
        return ServitorConfig.defaults().withStorage(storage).withOutbound(new ServitorConfig.Outbound(List.of(), true));
    }

    private static Caller admin(Servitor node, String key) {
        return node.verifier().verify(key, "127.0.0.1").caller();
    }

    private String subscribe(Servitor node, Caller admin) {
        return node.webhooks().create(admin, new NewWebhook(receiver.url(), List.of("service_account.created"), null, null)).endpoint().id();
    }

    private static void createAccount(Servitor node, Caller admin, String name) {
        node.serviceAccounts().create(admin, new NewServiceAccount(name, null, null, null, null, null), false, false);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 30 s: " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void two_nodes_on_postgresql_deliver_each_event_once() throws Exception {
        ServitorConfig config = config(TestDatabases.postgres());
        try (Servitor a = Servitor.start(config, clock); Servitor b = Servitor.start(config, clock)) {
            Caller adminA = admin(a, a.generatedAdminKey().orElseThrow());
            Caller adminB = admin(b, a.generatedAdminKey().orElseThrow());
            subscribe(a, adminA);
            int events = 40;
            for (int i = 0; i < events; i++) createAccount(i % 2 == 0 ? a : b, i % 2 == 0 ? adminA : adminB, "sa-" + i);
            await(() -> receiver.received().stream().map(Received::id).distinct().count() == events, "every event delivered");
            Thread.sleep(2_500); // two more claim rounds of both nodes: nothing may come twice
            List<Received> all = receiver.received();
            assertThat(all).hasSize(events);
            Set<String> names = all.stream().map(r -> (String) r.data().get("target")).collect(Collectors.toSet());
            assertThat(names).hasSize(events);
        }
    }

    @Test
    void a_node_stopped_during_a_call_leaves_the_delivery_to_the_next_start_with_the_same_id() throws Exception {
        ServitorConfig config = config(TestDatabases.sqlite());
        String key;
        String endpoint;
        receiver.hang();
        try (Servitor a = Servitor.start(config, clock)) {
            key = a.generatedAdminKey().orElseThrow();
            Caller admin = admin(a, key);
            endpoint = subscribe(a, admin);
            createAccount(a, admin, "interrupted");
            await(() -> receiver.hung() == 1, "the call reached the receiver");
        } // stopped while the receiver has not answered: the claim is never recorded
        receiver.release();
        clock.advance(Duration.ofMinutes(2)); // the dead node's lease (60 s) has run out
        try (Servitor b = Servitor.start(config, clock)) {
            Received r = receiver.awaitType("service_account.created");
            Caller admin = admin(b, key);
            await(() -> b.webhooks().deliveries(admin, endpoint, PageRequest.first(10)).items().get(0).status().equals(Delivery.DELIVERED),
                "the delivery is recorded");
            Delivery d = b.webhooks().deliveries(admin, endpoint, PageRequest.first(10)).items().get(0);
            assertThat(d.eventId()).isEqualTo(r.id());
            assertThat(receiver.received()).extracting(Received::id).containsOnly(r.id());
        }
    }

    @Test
    void a_failed_attempt_is_retried_after_a_restart_with_the_same_id() throws Exception {
        ServitorConfig config = config(TestDatabases.sqlite());
        String key;
        String endpoint;
        receiver.failNext(1);
        try (Servitor a = Servitor.start(config, clock)) {
            key = a.generatedAdminKey().orElseThrow();
            Caller admin = admin(a, key);
            endpoint = subscribe(a, admin);
            createAccount(a, admin, "retried");
            String id = endpoint;
            await(() -> a.webhooks().deliveries(admin, id, PageRequest.first(10)).items().stream().anyMatch(d -> d.attempts() == 1),
                "the failure is recorded");
        }
        clock.advance(Duration.ofHours(1));
        try (Servitor b = Servitor.start(config, clock)) {
            Received delivered = receiver.awaitType("service_account.created");
            assertThat(receiver.received()).hasSize(2).extracting(Received::id).containsOnly(delivered.id());
            assertThat(receiver.received().get(0).answeredWith()).isEqualTo(500);
        }
    }

    @Test
    void while_the_node_is_busy_events_wait_until_they_are_max_defer_old_then_go_even_so() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (Servitor node = Servitor.start(config(TestDatabases.sqlite()), clock)) {
            node.deliveries().yieldWhileBusy(busy::get, Duration.ofSeconds(30));
            Caller admin = admin(node, node.generatedAdminKey().orElseThrow());
            String endpoint = subscribe(node, admin);
            createAccount(node, admin, "in-a-burst");
            Thread.sleep(2_500); // two of the worker's one-second ticks, each seeing the node busy
            assertThat(receiver.received()).isEmpty();
            assertThat(node.webhooks().deliveries(admin, endpoint, PageRequest.first(10)).items()).isEmpty(); // not even relayed

            clock.advance(Duration.ofSeconds(31)); // the event has waited the longest allowed: it goes, though the node is still busy
            Received first = receiver.awaitType("service_account.created");
            assertThat(first.data().get("target")).isEqualTo("service_account:in-a-burst");

            createAccount(node, admin, "after-the-burst");
            Thread.sleep(2_500);
            assertThat(receiver.received()).hasSize(1);
            busy.set(false); // the burst is over: the next tick sends what waits
            receiver.await(r -> "service_account:after-the-burst".equals(r.data().get("target")));
            assertThat(receiver.received()).extracting(Received::type).containsOnly("service_account.created").hasSize(2);
        }
    }

    @Test
    void after_an_upgrade_an_organization_with_endpoints_gets_the_events_of_later_changes_and_none_again() throws Exception {
        ServitorConfig config = config(TestDatabases.sqlite());
        String key;
        try (Servitor before = Servitor.start(config, clock)) {
            key = before.generatedAdminKey().orElseThrow();
            Caller admin = admin(before, key);
            subscribe(before, admin);
            createAccount(before, admin, "before-the-upgrade");
            receiver.awaitType("service_account.created");
        }
        // the store as the version before the relay left it: no cursor table, V17 not applied
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + config.storage().dataDir().resolve("servitor.db"));
             java.sql.Statement st = c.createStatement()) {
            st.execute("DROP TABLE webhook_cursors");
            st.execute("DELETE FROM flyway_schema_history WHERE version = '17'");
        }
        try (Servitor after = Servitor.start(config, clock)) {
            Caller admin = admin(after, key);
            createAccount(after, admin, "after-the-upgrade");
            receiver.await(r -> "service_account:after-the-upgrade".equals(r.data().get("target")));
            Thread.sleep(1_500); // a tick more: nothing from before the upgrade comes again
            assertThat(receiver.received()).extracting(r -> r.data().get("target"))
                .containsExactly("service_account:before-the-upgrade", "service_account:after-the-upgrade");
        }
    }

    @Test
    void a_claim_that_would_run_out_during_the_call_is_not_sent_so_no_node_sends_it_twice_at_once() throws Exception {
        try (Servitor node = Servitor.start(config(TestDatabases.sqlite()), clock)) {
            Caller admin = admin(node, node.generatedAdminKey().orElseThrow());
            String id = subscribe(node, admin);
            createAccount(node, admin, "claimed");
            Received first = receiver.awaitType("service_account.created");
            WebhookEndpoint endpoint = node.webhooks().get(admin, id);
            Delivery d = node.webhooks().deliveries(admin, id, PageRequest.first(1)).items().get(0);
            WebhookEvent event = new WebhookEvent(d.eventId(), d.orgId(), d.eventType(), first.body(), d.createdAt());

            node.deliveries().send(claimedUntil(d, event, endpoint, clock.instant().plusSeconds(5))); // under the call's 10 s deadline
            node.deliveries().send(claimedUntil(d, event, endpoint, clock.instant().plusSeconds(30))); // a claim as a round makes it
            assertThat(receiver.received()).hasSize(2).extracting(Received::id).containsOnly(d.eventId());
        }
    }

    private static WebhookStore.Claimed claimedUntil(Delivery d, WebhookEvent event, WebhookEndpoint endpoint, java.time.Instant leaseEnd) {
        return new WebhookStore.Claimed(new Delivery(d.id(), d.eventId(), d.eventType(), d.endpointId(), d.orgId(), Delivery.PENDING,
            d.attempts(), leaseEnd, null, null, null, d.createdAt()), event, endpoint);
    }
}
