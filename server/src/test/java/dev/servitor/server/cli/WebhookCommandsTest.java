// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.config.ServitorConfig;
import dev.servitor.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code servitor webhook …} against a real server that delivers to a real receiver checking every signature. */
class WebhookCommandsTest extends CliTest {
    private static final Pattern SECRET = Pattern.compile("whsec_[A-Za-z0-9+/=]{40,}");
    private WebhookReceiver receiver;

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        return config.withOutbound(new ServitorConfig.Outbound(List.of(), true)); // plain http to the loopback receiver
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
    void oneEndpointAtATime() {
        receiver.failAlways(false);
        receiver.failNext(0);
        receiver.clear();
        for (JsonNode w : sv("webhook", "list", "-o", "json").json()) assertThat(sv("webhook", "delete", w.get("id").asText()).exit()).isZero();
    }

    private static String onlySecretIn(String text) {
        Matcher m = SECRET.matcher(text);
        assertThat(m.find()).as("a secret in: " + text).isTrue();
        String secret = m.group();
        assertThat(m.find()).as("the secret is printed once").isFalse();
        return secret;
    }

    private Run ok(String... args) {
        Run r = sv(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    /** The endpoint's deliveries once one of them matches {@code done} (the worker records an attempt after the receiver answered). */
    private JsonNode awaitDeliveries(String id, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode last = ok("webhook", "deliveries", id, "-o", "json").json();
        while (!done.test(last) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = ok("webhook", "deliveries", id, "-o", "json").json();
        }
        assertThat(done.test(last)).as("deliveries never matched: " + last).isTrue();
        return last;
    }

    @Test
    void create_prints_the_signing_secret_once_with_the_warning_and_the_test_event_arrives_signed_with_it() {
        Run created = ok("webhook", "create", receiver.url(), "--event", "webhook.test", "--event", "key.created", "--description", "SIEM");
        assertThat(created.rows().get(0)).containsExactly("ID", "URL", "EVENTS", "STATUS", "SECRET");
        assertThat(created.rows().get(1)).contains(receiver.url(), "webhook.test,key.created", "enabled");
        String secret = onlySecretIn(created.out());
        assertThat(created.err()).contains("cannot be shown again").doesNotContain(secret);
        String id = created.rows().get(1).get(0);
        assertThat(id).startsWith("wh_");

        Run test = ok("webhook", "test", id, "-o", "json");
        String eventId = test.json().get("event_id").asText();
        assertThat(test.json().get("type").asText()).isEqualTo("webhook.test");
        WebhookReceiver.Received got = receiver.awaitType("webhook.test");
        assertThat(got.id()).isEqualTo(eventId);
        assertThat(got.signedWith(secret)).isTrue();

        JsonNode deliveries = awaitDeliveries(id, d -> d.size() == 1 && "delivered".equals(d.get(0).get("status").asText()));
        assertThat(deliveries.get(0).get("event_id").asText()).isEqualTo(eventId);
        assertThat(deliveries.get(0).get("response_status").asInt()).isEqualTo(204);
        Run table = ok("webhook", "deliveries", id);
        assertThat(table.rows().get(0)).startsWith("ID", "TYPE", "STATUS", "ATTEMPT", "RESPONSE");
        assertThat(table.rows().get(1)).contains("webhook.test", "delivered", "1", "204");
    }

    @Test
    void list_and_get_never_print_a_secret() {
        Run created = ok("webhook", "create", receiver.url(), "--event", "*", "-o", "json");
        String secret = created.json().get("secret").asText();
        String id = created.json().get("id").asText();
        for (String format : new String[] {"table", "json", "yaml"}) {
            assertThat(ok("webhook", "list", "-o", format).out()).contains(id).doesNotContain(secret).doesNotContain("whsec_");
            assertThat(ok("webhook", "get", id, "-o", format).out()).contains(id).doesNotContain("whsec_");
        }
        assertThat(ok("webhook", "list").rows().get(0)).containsExactly("ID", "URL", "EVENTS", "STATUS", "FAILING_SINCE", "DESCRIPTION");
    }

    @Test
    void update_changes_only_the_options_given_and_disable_enable_show_in_the_status() {
        String id = ok("webhook", "create", receiver.url(), "--event", "key.created", "--description", "old", "-o", "json")
            .json().get("id").asText();
        Run disabled = ok("webhook", "update", id, "--disable");
        assertThat(disabled.rows().get(1)).contains("disabled (admin)", "old");
        assertThat(sv("webhook", "test", id).err()).contains("webhook_disabled");
        JsonNode changed = ok("webhook", "update", id, "--enable", "--event", "key.revoked,key.rotated", "-o", "json").json();
        assertThat(changed.get("disabled").asBoolean()).isFalse();
        assertThat(changed.get("description").asText()).isEqualTo("old");
        assertThat(changed.get("events")).extracting(JsonNode::asText).containsExactly("key.revoked", "key.rotated");
        String moved = receiver.url() + "?v=2";
        assertThat(ok("webhook", "update", id, "--endpoint-url", moved, "-o", "json").json().get("url").asText()).isEqualTo(moved);

        Run nothing = sv("webhook", "update", id);
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err()).contains("Nothing to update");
        assertThat(sv("webhook", "update", id, "--enable", "--disable").exit()).isEqualTo(2);
    }

    @Test
    void created_disabled_sends_nothing_until_enabled() {
        JsonNode w = ok("webhook", "create", receiver.url(), "--event", "*", "--disabled", "-o", "json").json();
        assertThat(w.get("disabled").asBoolean()).isTrue();
        assertThat(ok("webhook", "get", w.get("id").asText()).rows().get(1)).contains("disabled (admin)");
    }

    @Test
    void rotate_secret_prints_the_new_secret_once_and_the_next_delivery_is_signed_with_it() {
        JsonNode w = ok("webhook", "create", receiver.url(), "--event", "webhook.test", "-o", "json").json();
        String id = w.get("id").asText();
        Run rotated = ok("webhook", "rotate-secret", id);
        String fresh = onlySecretIn(rotated.out());
        assertThat(fresh).isNotEqualTo(w.get("secret").asText());
        assertThat(rotated.err()).contains("cannot be shown again");
        ok("webhook", "test", id);
        assertThat(receiver.awaitType("webhook.test").signedWith(fresh)).isTrue();
    }

    @Test
    void retry_sends_a_failed_attempt_again_with_the_same_event_id() {
        String id = ok("webhook", "create", receiver.url(), "--event", "webhook.test", "-o", "json").json().get("id").asText();
        receiver.failAlways(true);
        String eventId = ok("webhook", "test", id, "-o", "json").json().get("event_id").asText();
        JsonNode pending = awaitDeliveries(id, d -> d.size() == 1 && d.get(0).get("attempt").asInt() >= 1);
        assertThat(pending.get(0).get("status").asText()).isEqualTo("pending");
        assertThat(pending.get(0).get("response_status").asInt()).isEqualTo(500);
        assertThat(pending.get(0).has("next_attempt_at")).isTrue();

        receiver.failAlways(false);
        Run retried = ok("webhook", "retry", id, pending.get(0).get("id").asText());
        assertThat(retried.rows().get(1)).contains(pending.get(0).get("id").asText(), "webhook.test");
        WebhookReceiver.Received got = receiver.awaitType("webhook.test");
        assertThat(got.id()).isEqualTo(eventId);
        awaitDeliveries(id, d -> "delivered".equals(d.get(0).get("status").asText()));
    }

    @Test
    void delete_removes_it_and_a_bad_url_or_unknown_id_exits_1_with_the_apis_reason() {
        String id = ok("webhook", "create", receiver.url(), "--event", "*", "-o", "json").json().get("id").asText();
        assertThat(ok("webhook", "delete", id).out()).contains("Deleted webhook " + id);
        Run gone = sv("webhook", "get", id);
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("404");
        Run bad = sv("webhook", "create", "ftp://example.com/x", "--event", "*");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("422");
        assertThat(sv("webhook", "create", receiver.url()).exit()).as("--event is required").isEqualTo(2);
    }

    @Test
    void only_org_admins_may_use_them() {
        String sa = unique("plain");
        assertThat(sv("sa", "create", sa).exit()).isZero();
        String key = sv("key", "create", "--sa", sa, "-o", "json").json().get("key").asText();
        Run r = as(key, "webhook", "list");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("403");
    }
}
