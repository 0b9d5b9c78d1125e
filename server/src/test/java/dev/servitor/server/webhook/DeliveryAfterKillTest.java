// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servitor.testing.WebhookReceiver;
import dev.servitor.testing.WebhookReceiver.Received;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No event lost when a node dies mid-delivery: {@code servitor serve} runs in its own JVM, its
 * receiver fails the first attempts and then hangs while calls are in flight, the process gets
 * SIGKILL, and a new process on the same store delivers every event, with its original
 * {@code webhook-id} and a valid signature, exactly once successfully. The calls the killed node had
 * made were never answered nor recorded; their leases ({@link dev.servitor.webhook.DeliveryPolicy#LEASE},
 * 30 s) run out and the new node claims them again, so this test takes a little over half a minute.
 */
class DeliveryAfterKillTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final Pattern ADMIN_KEY = Pattern.compile("Admin API key: (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private record Node(Process process, String url) {}

    private String adminKey;

    @Test
    void every_event_arrives_with_its_original_id_after_the_delivering_process_is_killed(@TempDir Path tmp) throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Node first = serve(tmp, "first.log");
            try {
                JsonNode webhook = call(first, "POST", "/v1/webhooks", "{\"url\":\"" + receiver.url() + "\",\"events\":[\"service_account.created\"]}");
                String webhookId = webhook.get("id").asText();
                String secret = webhook.get("secret").asText();

                // two events whose first attempts fail, and are recorded as failed (due again in ~5 s)
                receiver.failNext(2);
                call(first, "POST", "/v1/service-accounts", "{\"name\":\"before-1\"}");
                call(first, "POST", "/v1/service-accounts", "{\"name\":\"before-2\"}");
                await(() -> receiver.received().size() == 2);
                await(() -> deliveries(first, webhookId).stream().filter(d -> d.get("attempt").asInt() == 1).count() == 2);

                // then the receiver hangs: three new events and the two retries are claimed and never answered
                receiver.hang();
                for (int i = 1; i <= 3; i++) call(first, "POST", "/v1/service-accounts", "{\"name\":\"in-flight-" + i + "\"}");
                await(() -> receiver.hung() >= 4); // every sender is in a call
                Set<String> events = deliveries(first, webhookId).stream().map(d -> d.get("event_id").asText())
                    .collect(Collectors.toCollection(TreeSet::new));
                assertThat(events).hasSize(5);

                first.process().destroyForcibly(); // SIGKILL: no shutdown hook, nothing recorded
                assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(first.process().exitValue()).isEqualTo(137);
                receiver.release();
                assertThat(receiver.received()).allMatch(r -> r.answeredWith() == 500); // nothing was delivered before the kill

                receiver.failNext(1); // and the new node's first attempt fails too
                Node second = serve(tmp, "second.log");
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
                    while (delivered(receiver).size() < events.size() && System.nanoTime() < deadline) Thread.sleep(250);
                    Thread.sleep(2_000); // a duplicate would come right after

                    List<Received> ok = receiver.received().stream().filter(r -> r.answeredWith() < 300).toList();
                    assertThat(ok.stream().map(Received::id).sorted().toList()).as("each event delivered once")
                        .containsExactlyElementsOf(events);
                    assertThat(receiver.received()).allMatch(r -> events.contains(r.id()), "only the original ids")
                        .allMatch(r -> r.signedWith(secret), "every attempt signed");
                    assertThat(ok).extracting(Received::type).containsOnly("service_account.created");
                    assertThat(ok.stream().map(r -> (String) ((Map<?, ?>) r.data()).get("target")).sorted().toList())
                        .containsExactly("service_account:before-1", "service_account:before-2", "service_account:in-flight-1",
                            "service_account:in-flight-2", "service_account:in-flight-3");
                    await(() -> deliveries(second, webhookId).stream().allMatch(d -> d.get("status").asText().equals("delivered")));
                } finally {
                    stop(second);
                }
            } finally {
                if (first.process().isAlive()) first.process().destroyForcibly();
            }
        }
    }

    private static Set<String> delivered(WebhookReceiver receiver) {
        return receiver.received().stream().filter(r -> r.answeredWith() < 300).map(Received::id).collect(Collectors.toSet());
    }

    private Node serve(Path tmp, String logName) throws IOException, InterruptedException {
        Path log = tmp.resolve(logName);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            "dev.servitor.server.Main", "serve", "--port", "0", "--data-dir", tmp.resolve("data").toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("SERVITOR_") || k.startsWith("OTEL_"));
        pb.environment().put("SERVITOR_WEBHOOKS_ALLOW_HTTP", "true");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            String out = Files.readString(log);
            Matcher key = ADMIN_KEY.matcher(out);
            if (key.find()) adminKey = key.group(1); // printed by the first start only
            Matcher m = LISTENING.matcher(out);
            if (m.find()) return new Node(p, m.group(1));
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("the server did not start: " + Files.readString(log));
    }

    private JsonNode call(Node node, String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(node.url() + path)).header("Authorization", "Bearer " + adminKey)
            .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) r.header("Content-Type", "application/json");
        HttpResponse<String> answer = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isBetween(200, 299);
        return JSON.readTree(answer.body());
    }

    private List<JsonNode> deliveries(Node node, String webhookId) {
        try {
            List<JsonNode> out = new ArrayList<>();
            call(node, "GET", "/v1/webhooks/" + webhookId + "/deliveries?page_size=100", null).get("deliveries").forEach(out::add);
            return out;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("never happened");
            Thread.sleep(50);
        }
    }

    private static void stop(Node node) throws InterruptedException {
        node.process().destroy();
        assertThat(node.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
