// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.WebhookReceiver;
import dev.servitor.testing.WebhookReceiver.Received;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle events (docs/api.md "Lifecycle events") through a real server to a real receiver that
 * checks every Standard Webhooks signature with its own code.
 */
abstract class WebhooksContract extends ApiContract {
    WebhookReceiver receiver;

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        return config.withOutbound(new ServitorConfig.Outbound(List.of(), true)); // http to the loopback receiver
    }

    @BeforeAll
    void startReceiver() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    void stopReceiver() {
        receiver.close();
    }

    @BeforeEach
    void healthyReceiver() {
        receiver.failAlways(false);
        receiver.failNext(0);
        receiver.clear();
        // one endpoint at a time: each test subscribes its own
        for (JsonNode w : server.get("/v1/webhooks?page_size=100", admin()).expect(200).json().get("webhooks")) {
            server.delete("/v1/webhooks/" + w.get("id").asText(), admin()).expect(204);
        }
    }

    /** Subscribes the receiver to {@code events}; returns {id, secret}. */
    private JsonNode subscribe(String... events) {
        String list = String.join("\",\"", events);
        return server.post("/v1/webhooks", admin(), "{\"url\":\"" + receiver.url() + "\",\"events\":[\"" + list + "\"]}").expect(201).json();
    }

    /** What {@code read} answers once {@code done} holds (an attempt is recorded after the receiver answered). */
    static JsonNode awaitUntil(java.util.function.Supplier<JsonNode> read, java.util.function.Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode last = read.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = read.get();
        }
        if (!done.test(last)) throw new AssertionError("never reached: " + last);
        return last;
    }

    private Response sql(String key, String script) {
        return server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/v1/sql"))
            .header("Authorization", "Bearer " + key).header("Content-Type", "text/plain")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(script)).build());
    }

    private static void assertProblem(Response r, int status, String code, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode p = r.json();
        assertThat(p.get("code").asText()).isEqualTo(code);
        if (field != null) assertThat(p.get("field").asText()).isEqualTo(field);
    }

    @Nested
    class Endpoints {
        @Test
        void creating_one_answers_its_signing_secret_once_and_never_again() {
            Response created = server.post("/v1/webhooks", admin(), "{\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"],\"description\":\"SIEM\"}");
            JsonNode body = created.expect(201).json();
            assertThat(created.header("Cache-Control")).isEqualTo("no-store");
            assertThat(body.get("id").asText()).startsWith("wh_");
            assertThat(body.get("secret").asText()).startsWith("whsec_");
            assertThat(body.get("events")).extracting(JsonNode::asText).containsExactly("*");
            JsonNode read = server.get("/v1/webhooks/" + body.get("id").asText(), admin()).expect(200).json();
            assertThat(read.has("secret")).isFalse();
            assertThat(read.get("description").asText()).isEqualTo("SIEM");
            assertThat(server.get("/v1/webhooks", admin()).expect(200).json().get("webhooks").get(0).has("secret")).isFalse();
        }

        @Test
        void a_bad_url_or_event_type_is_422_naming_the_field_and_nothing_is_stored() {
            assertProblem(server.post("/v1/webhooks", admin(), "{\"url\":\"ftp://example.com/x\",\"events\":[\"*\"]}"), 422, "invalid_value", "url");
            assertProblem(server.post("/v1/webhooks", admin(), "{\"url\":\"https://user:pw@example.com/x\",\"events\":[\"*\"]}"), 422, "invalid_value", "url");
            assertProblem(server.post("/v1/webhooks", admin(), "{\"url\":\"https://example.com/x\",\"events\":[\"key.made\"]}"), 422, "invalid_value", "events");
            assertProblem(server.post("/v1/webhooks", admin(), "{\"url\":\"https://example.com/x\",\"events\":[]}"), 422, "missing_field", "events");
            assertProblem(server.post("/v1/webhooks", admin(), "{\"events\":[\"*\"]}"), 422, "missing_field", "url");
            assertThat(server.get("/v1/webhooks", admin()).expect(200).json().get("webhooks")).isEmpty();
        }

        @Test
        void only_org_admins_manage_them_whatever_the_body() {
            String sa = unique("plain");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            assertProblem(server.post("/v1/webhooks", key, "{\"nonsense\":"), 403, "forbidden", null);
            assertProblem(server.get("/v1/webhooks", key), 403, "forbidden", null);
        }

        @Test
        void show_webhooks_in_sql_lists_them_without_their_secrets_for_org_admins_only() {
            JsonNode hook = subscribe("key.created", "key.revoked");
            Response shown = sql(admin(), "SHOW WEBHOOKS;");
            JsonNode result = shown.expect(200).json().get("results").get(0);
            assertThat(result.get("columns")).extracting(JsonNode::asText)
                .containsExactly("id", "url", "events", "description", "disabled", "disabled_reason", "failing_since", "created");
            assertThat(result.get("rows")).singleElement().satisfies(row -> {
                assertThat(row.get(0).asText()).isEqualTo(hook.get("id").asText());
                assertThat(row.get(1).asText()).isEqualTo(receiver.url());
                assertThat(row.get(2).asText()).isEqualTo("key.created,key.revoked");
                assertThat(row.get(4).asBoolean()).isFalse();
            });
            assertThat(shown.body()).doesNotContain(hook.get("secret").asText());
            String sa = unique("sql-plain");
            server.createServiceAccount(sa);
            assertThat(sql(server.createKey(sa, "k"), "SHOW WEBHOOKS;").status()).isEqualTo(403);
        }

        @Test
        void an_unknown_endpoint_is_404() {
            assertProblem(server.get("/v1/webhooks/wh_nope", admin()), 404, "not_found", null);
            assertProblem(server.post("/v1/webhooks/wh_nope/test", admin(), null), 404, "not_found", null);
        }
    }

    @Nested
    class Events {
        @Test
        void every_change_to_an_account_and_its_keys_arrives_signed_with_its_type() {
            String secret = subscribe("*").get("secret").asText();
            String sa = unique("ci-bot");
            server.createServiceAccount(sa);
            JsonNode key = server.post("/v1/service-accounts/" + sa + "/keys", admin(), "{\"name\":\"deploy\"}").expect(201).json();
            String keyId = key.get("id").asText();
            server.post("/v1/service-accounts/" + sa + "/keys/" + keyId + "/rotate", admin(), "{}").expect(201);
            server.patch("/v1/service-accounts/" + sa, admin(), "{\"description\":\"changed\"}").expect(200);
            server.post("/v1/service-accounts/" + sa + "/disable", admin(), null).expect(200);
            server.post("/v1/service-accounts/" + sa + "/enable", admin(), null).expect(200);
            server.post("/v1/service-accounts/" + sa + "/secret", admin(), null).expect(201);
            String second = server.post("/v1/service-accounts/" + sa + "/keys", admin(), "{\"name\":\"other\"}").expect(201).json().get("id").asText();
            server.delete("/v1/service-accounts/" + sa + "/keys/" + second, admin()).expect(204);
            server.delete("/v1/service-accounts/" + sa, admin()).expect(204);

            for (String type : List.of("service_account.created", "key.created", "key.rotated", "service_account.updated",
                    "service_account.disabled", "service_account.enabled", "secret.generated", "key.revoked", "service_account.deleted")) {
                Received r = receiver.awaitType(type);
                assertThat(r.signedWith(secret)).as(type + " is signed with the endpoint's secret").isTrue();
                assertThat(r.signedWith("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]))).isFalse();
                assertThat(r.id()).startsWith("msg_");
                assertThat(Math.abs(Long.parseLong(r.timestamp()) - server.clock().instant().getEpochSecond())).isLessThan(5);
                java.util.Map<String, Object> data = r.data();
                assertThat((String) data.get("target")).contains(sa);
                assertThat(((java.util.Map<?, ?>) data.get("actor")).get("email")).asString().isNotBlank();
            }
            assertThat(receiver.received()).noneMatch(r -> r.body().contains(key.get("key").asText()))
                .as("an event never carries a secret");
        }

        @Test
        void an_endpoint_gets_only_the_types_it_subscribed_to() {
            subscribe("key.revoked");
            String sa = unique("quiet");
            server.createServiceAccount(sa);
            String keyId = server.post("/v1/service-accounts/" + sa + "/keys", admin(), "{\"name\":\"k\"}").expect(201).json().get("id").asText();
            server.delete("/v1/service-accounts/" + sa + "/keys/" + keyId, admin()).expect(204);
            receiver.awaitType("key.revoked");
            assertThat(receiver.received()).extracting(Received::type).containsOnly("key.revoked");
        }

        @Test
        void each_change_of_the_endpoints_applies_to_the_very_next_change_though_nodes_keep_them_in_memory() {
            String id = subscribe("key.revoked").get("id").asText();
            server.createServiceAccount(unique("unsubscribed")); // the organization's endpoints are now in memory
            server.patch("/v1/webhooks/" + id, admin(), "{\"events\":[\"service_account.created\"]}").expect(200);
            String after = unique("after-update");
            server.createServiceAccount(after);
            receiver.await(r -> r.answeredWith() < 300 && ("service_account:" + after).equals(r.data().get("target"))); // before the
            server.patch("/v1/webhooks/" + id, admin(), "{\"disabled\":true}").expect(200); // delete below drops what is pending
            server.createServiceAccount(unique("while-disabled"));
            server.delete("/v1/webhooks/" + id, admin()).expect(204);
            server.createServiceAccount(unique("after-delete")); // a remembered endpoint that is gone must not fail the change
            subscribe("service_account.created");
            String last = unique("new-endpoint");
            server.createServiceAccount(last);

            receiver.await(r -> r.answeredWith() < 300 && ("service_account:" + last).equals(r.data().get("target")));
            assertThat(receiver.received()).extracting(r -> r.data().get("target"))
                .containsExactlyInAnyOrder("service_account:" + after, "service_account:" + last);
        }

        @Test
        void a_disabled_endpoint_gets_nothing_and_a_test_event_reaches_an_enabled_one() {
            JsonNode hook = subscribe("*");
            String id = hook.get("id").asText();
            server.patch("/v1/webhooks/" + id, admin(), "{\"disabled\":true}").expect(200);
            server.createServiceAccount(unique("unheard"));
            assertProblem(server.post("/v1/webhooks/" + id + "/test", admin(), null), 409, "webhook_disabled", null);
            server.patch("/v1/webhooks/" + id, admin(), "{\"disabled\":false}").expect(200);
            JsonNode test = server.post("/v1/webhooks/" + id + "/test", admin(), null).expect(202).json();
            Received r = receiver.awaitType("webhook.test");
            assertThat(r.id()).isEqualTo(test.get("event_id").asText());
            assertThat(r.signedWith(hook.get("secret").asText())).isTrue();
            assertThat(receiver.received()).extracting(Received::type).containsOnly("webhook.test");
        }
    }

    @Nested
    class Retries {
        @Test
        void a_failing_receiver_gets_the_same_event_id_on_every_retry_until_it_answers() {
            String id = subscribe("service_account.created").get("id").asText();
            receiver.failNext(2);
            String sa = unique("retried");
            server.createServiceAccount(sa);
            for (int attempt = 1; attempt <= 2; attempt++) {
                int made = attempt;
                awaitUntil(() -> deliveriesOf(id).get(0), d -> d != null && d.get("attempt").asInt() == made); // recorded, with its next time
                server.clock().advance(Duration.ofHours(1)); // past the backoff
                receiver.await(r -> receiver.received().size() > made);
            }
            Received delivered = receiver.awaitType("service_account.created");
            assertThat(receiver.received()).hasSize(3).extracting(Received::id).containsOnly(delivered.id());
            JsonNode deliveries = awaitUntil(() -> deliveriesOf(id), d -> d.size() > 0 && d.get(0).get("status").asText().equals("delivered"));
            assertThat(deliveries).hasSize(1);
            assertThat(deliveries.get(0).get("status").asText()).isEqualTo("delivered");
            assertThat(deliveries.get(0).get("attempt").asInt()).isEqualTo(3);
            assertThat(deliveries.get(0).get("response_status").asInt()).isEqualTo(204);
            assertThat(deliveries.get(0).get("event_id").asText()).isEqualTo(delivered.id());
        }

        private JsonNode deliveriesOf(String id) {
            return server.get("/v1/webhooks/" + id + "/deliveries", admin()).expect(200).json().get("deliveries");
        }

        @Test
        void a_delivery_can_be_retried_by_hand() {
            String id = subscribe("service_account.created").get("id").asText();
            receiver.failAlways(true);
            server.createServiceAccount(unique("by-hand"));
            receiver.await(r -> r.answeredWith() == 500);
            JsonNode pending = awaitUntil(() -> server.get("/v1/webhooks/" + id + "/deliveries", admin()).expect(200).json()
                .get("deliveries").get(0), d -> d != null && d.get("attempt").asInt() == 1);
            assertThat(pending.get("status").asText()).isEqualTo("pending");
            assertThat(pending.get("last_error").asText()).isEqualTo("HTTP 500");
            assertThat(pending.has("next_attempt_at")).isTrue();
            receiver.failAlways(false);
            server.post("/v1/webhooks/" + id + "/deliveries/" + pending.get("id").asText() + "/retry", admin(), null).expect(202);
            Received r = receiver.awaitType("service_account.created");
            assertThat(r.id()).isEqualTo(pending.get("event_id").asText());
        }

        @Test
        void an_endpoint_failing_for_five_days_is_disabled_and_that_is_audited() {
            String id = subscribe("service_account.created").get("id").asText();
            receiver.failAlways(true);
            server.createServiceAccount(unique("first"));
            receiver.await(r -> r.answeredWith() == 500);
            JsonNode failing = awaitUntil(() -> server.get("/v1/webhooks/" + id, admin()).expect(200).json(), w -> w.has("failing_since"));
            assertThat(failing.get("failing_since").isTextual()).isTrue();
            assertThat(failing.get("disabled").asBoolean()).isFalse();
            JsonNode renamed = server.patch("/v1/webhooks/" + id, admin(), "{\"description\":\"still failing\"}").expect(200).json();
            assertThat(renamed.get("failing_since")).as("editing an endpoint does not clear its failing time").isEqualTo(failing.get("failing_since"));
            server.clock().advance(Duration.ofDays(5).plusMinutes(1));
            int before = receiver.received().size();
            server.createServiceAccount(unique("second"));
            receiver.await(r -> receiver.received().size() > before);
            JsonNode disabled = awaitDisabled(id);
            assertThat(disabled.get("disabled_reason").asText()).isEqualTo("failing");
            JsonNode events = server.get("/v1/audit-events?action=webhook.disable", admin()).expect(200).json().get("audit_events");
            assertThat(events).anySatisfy(e -> assertThat(e.get("target").asText()).isEqualTo("webhook:" + id));
        }

        private JsonNode awaitDisabled(String id) {
            return awaitUntil(() -> server.get("/v1/webhooks/" + id, admin()).expect(200).json(), w -> w.get("disabled").asBoolean());
        }
    }

    @Nested
    class SecretRotation {
        @Test
        void after_a_rotation_deliveries_are_signed_with_the_new_secret_and_for_a_day_the_old_one_too() {
            JsonNode hook = subscribe("webhook.test");
            String id = hook.get("id").asText();
            String old = hook.get("secret").asText();
            Response rotated = server.post("/v1/webhooks/" + id + "/rotate-secret", admin(), null);
            String fresh = rotated.expect(200).json().get("secret").asText();
            assertThat(rotated.header("Cache-Control")).isEqualTo("no-store");
            assertThat(fresh).isNotEqualTo(old);
            server.post("/v1/webhooks/" + id + "/test", admin(), null).expect(202);
            Received during = receiver.awaitType("webhook.test");
            assertThat(during.signedWith(fresh)).isTrue();
            assertThat(during.signedWith(old)).isTrue();
            receiver.clear();
            server.clock().advance(Duration.ofHours(25));
            server.post("/v1/webhooks/" + id + "/test", admin(), null).expect(202);
            Received after = receiver.awaitType("webhook.test");
            assertThat(after.signedWith(fresh)).isTrue();
            assertThat(after.signedWith(old)).isFalse();
        }
    }
}
