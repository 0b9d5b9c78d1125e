// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.Servitor;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.config.TracingConfig;
import dev.servitor.server.http.ApiServer;
import dev.servitor.server.testing.TestClock;
import dev.servitor.server.tracing.OtlpReceiver.ExportedSpan;
import dev.servitor.testing.TestDatabases;
import dev.servitor.testing.TestDatabases.Engine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real server with tracing on, exporting over OTLP/HTTP to a collector in this JVM
 * ({@link OtlpReceiver}); each test reads back the spans the exporter really sent.
 */
class TracesExportTest {
    private static final int SERVER = 2;
    private static final int CLIENT = 3;
    private static final int ERROR = 2;
    static OtlpReceiver collector;
    static OtelTracing tracing;
    static Servitor servitor;
    static ApiServer api;
    static String adminKey;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        collector = new OtlpReceiver();
        tracing = (OtelTracing) Tracing.start(new TracingConfig(collector.tracesUrl(), "servitor-under-test", 1.0));
        ServitorConfig.Storage storage = TestDatabases.fresh(Engine.SQLITE);
        // http to loopback allowed: a webhook receiver in the test
        servitor = Servitor.start(ServitorConfig.defaults().withStorage(storage).withOutbound(new ServitorConfig.Outbound(List.of(), true)),
            TestClock.now(), tracing.storeCalls(storage));
        adminKey = servitor.generatedAdminKey().orElseThrow();
        api = new ApiServer(servitor, tracing).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        api.close();
        servitor.close();
        tracing.close();
        collector.close();
    }

    @Test
    void a_request_arrives_as_a_server_span_named_by_its_route_with_its_status() {
        call("POST", "/v1/service-accounts", adminKey, "{\"name\":\"traced-bot\"}", Map.of()).expect(201);
        Answer got = call("GET", "/v1/service-accounts/traced-bot", adminKey, null, Map.of()).expect(200);

        ExportedSpan span = awaitSpan(s -> got.requestId().equals(s.attribute("servitor.request_id")));
        assertThat(span.name()).isEqualTo("GET /v1/service-accounts/{name}");
        assertThat(span.kind()).isEqualTo(SERVER);
        assertThat(span.service()).isEqualTo("servitor-under-test");
        assertThat(span.attribute("http.route")).isEqualTo("/v1/service-accounts/{name}");
        assertThat(span.attribute("http.request.method")).isEqualTo("GET");
        assertThat(span.attribute("http.response.status_code")).isEqualTo(200L);
        assertThat(span.parentSpanId()).isEmpty(); // no traceparent came: a trace of its own
    }

    @Test
    void a_refused_request_is_named_by_its_route_too_and_a_5xx_is_an_error() {
        Answer refused = call("GET", "/v1/whoami", "svt_not-a-key", null, Map.of()).expect(401);
        ExportedSpan span = awaitSpan(s -> refused.requestId().equals(s.attribute("servitor.request_id")));
        assertThat(span.name()).isEqualTo("GET /v1/whoami");
        assertThat(span.attribute("http.response.status_code")).isEqualTo(401L);
        assertThat(span.status()).isNotEqualTo(ERROR); // the client's mistake, not the server's

        Answer unknown = call("GET", "/v1/no-such-route", adminKey, null, Map.of()).expect(404);
        ExportedSpan unmatched = awaitSpan(s -> unknown.requestId().equals(s.attribute("servitor.request_id")));
        assertThat(unmatched.name()).isEqualTo("GET"); // no route: the method only, never the path
        assertThat(unmatched.attributes()).doesNotContainKey("http.route");
    }

    @Test
    void a_request_with_a_sampled_traceparent_continues_that_trace() {
        String traceId = hex(16);
        String parentId = hex(8);
        Answer got = call("GET", "/v1/whoami", adminKey, null, Map.of("traceparent", "00-" + traceId + "-" + parentId + "-01")).expect(200);

        ExportedSpan span = awaitSpan(s -> got.requestId().equals(s.attribute("servitor.request_id")));
        assertThat(span.traceId()).isEqualTo(traceId);
        assertThat(span.parentSpanId()).isEqualTo(parentId);
        assertThat(span.name()).isEqualTo("GET /v1/whoami");
    }

    @Test
    void a_request_whose_traceparent_is_not_sampled_is_not_traced() {
        String traceId = hex(16);
        Answer skipped = call("GET", "/v1/whoami", adminKey, null, Map.of("traceparent", "00-" + traceId + "-" + hex(8) + "-00")).expect(200);
        awaitMarker();
        assertThat(collector.spans()).noneMatch(s -> s.traceId().equals(traceId) || skipped.requestId().equals(s.attribute("servitor.request_id")));
    }

    @Test
    void the_hot_path_without_a_traceparent_makes_no_span() {
        Answer verified = call("POST", "/v1/verify", adminKey, "{\"credential\":\"" + adminKey + "\"}", Map.of()).expect(200);
        Answer probed = call("GET", "/readyz", null, null, Map.of()).expect(200);
        awaitMarker();
        assertThat(collector.spans()).noneMatch(s -> verified.requestId().equals(s.attribute("servitor.request_id"))
            || probed.requestId().equals(s.attribute("servitor.request_id")) || s.name().startsWith("POST /v1/verify") && s.parentSpanId().isEmpty());
    }

    @Test
    void the_hot_path_with_a_sampled_traceparent_is_traced_with_its_store_calls() {
        call("POST", "/v1/service-accounts", adminKey, "{\"name\":\"hot-bot\"}", Map.of()).expect(201);
        String key = call("POST", "/v1/service-accounts/hot-bot/keys", adminKey, "{\"name\":\"k\"}", Map.of()).expect(201).json("key");
        String traceId = hex(16);
        Answer verified = call("POST", "/v1/verify", adminKey, "{\"credential\":\"" + key + "\"}",
            Map.of("traceparent", "00-" + traceId + "-" + hex(8) + "-01")).expect(200);
        assertThat(verified.body()).contains("\"valid\":true");

        ExportedSpan span = awaitSpan(s -> s.traceId().equals(traceId) && s.kind() == SERVER);
        assertThat(span.name()).isEqualTo("POST /v1/verify");
        assertThat(span.attribute("http.response.status_code")).isEqualTo(200L);
        // a key never seen before is read from the store, under the request's span
        ExportedSpan read = awaitSpan(s -> s.traceId().equals(traceId) && s.name().equals("store read"));
        assertThat(read.parentSpanId()).isEqualTo(span.spanId());
    }

    @Test
    void forward_auth_is_traced_only_under_a_sampled_traceparent_with_its_store_calls() {
        call("POST", "/v1/service-accounts", adminKey, "{\"name\":\"fwd-bot\"}", Map.of()).expect(201);
        String key = call("POST", "/v1/service-accounts/fwd-bot/keys", adminKey, "{\"name\":\"k\"}", Map.of()).expect(201).json("key");
        call("GET", "/v1/forward-auth", key, null, Map.of("Servitor-Gateway-Key", adminKey)).expect(200);
        String traceId = hex(16);
        String parentId = hex(8);
        String otherKey = call("POST", "/v1/service-accounts/fwd-bot/keys", adminKey, "{\"name\":\"k2\"}", Map.of()).expect(201).json("key");
        call("GET", "/v1/forward-auth", otherKey, null,
            Map.of("Servitor-Gateway-Key", adminKey, "traceparent", "00-" + traceId + "-" + parentId + "-01")).expect(200);

        ExportedSpan span = awaitSpan(s -> s.traceId().equals(traceId) && s.kind() == SERVER);
        assertThat(span.name()).isEqualTo("GET /v1/forward-auth");
        assertThat(span.parentSpanId()).isEqualTo(parentId);
        // answered in front of the bodies, on the thread that started the span: its store read is still a child
        ExportedSpan read = awaitSpan(s -> s.traceId().equals(traceId) && s.name().equals("store read"));
        assertThat(read.parentSpanId()).isEqualTo(span.spanId());
        awaitMarker();
        assertThat(collector.spans()).noneMatch(s -> s.name().equals("GET /v1/forward-auth") && s.parentSpanId().isEmpty());
    }

    @Test
    void a_store_call_is_a_child_span_of_its_request() {
        Answer created = call("POST", "/v1/service-accounts", adminKey, "{\"name\":\"store-bot\"}", Map.of()).expect(201);
        ExportedSpan request = awaitSpan(s -> created.requestId().equals(s.attribute("servitor.request_id")));
        assertThat(request.name()).isEqualTo("POST /v1/service-accounts");

        ExportedSpan write = awaitSpan(s -> s.traceId().equals(request.traceId()) && s.name().equals("store write"));
        assertThat(write.parentSpanId()).isEqualTo(request.spanId());
        assertThat(write.kind()).isEqualTo(CLIENT);
        assertThat(write.attribute("db.system.name")).isEqualTo("sqlite");
    }

    @Test
    void a_refusal_inside_a_store_call_is_recorded_by_its_code_not_as_a_failure() {
        Answer missing = call("GET", "/v1/service-accounts/nobody-here", adminKey, null, Map.of()).expect(404);
        ExportedSpan request = awaitSpan(s -> missing.requestId().equals(s.attribute("servitor.request_id")));
        List<ExportedSpan> reads = collector.spans().stream()
            .filter(s -> s.traceId().equals(request.traceId()) && s.name().startsWith("store ")).toList();
        assertThat(reads).isNotEmpty().allSatisfy(s -> assertThat(s.status()).isNotEqualTo(ERROR));
    }

    @Test
    void an_outgoing_call_is_a_client_span_that_passes_its_trace_on_without_path_or_query() {
        OutgoingCall call = tracing.outgoing("GET", URI.create("https://jwks.example.com:8443/tenant-7/keys?token=outgoing-secret"));
        String traceparent = call.headers().get("traceparent");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]");
        call.answered(503);

        String traceId = traceparent.substring(3, 35);
        ExportedSpan span = awaitSpan(s -> s.traceId().equals(traceId));
        assertThat(span.kind()).isEqualTo(CLIENT);
        assertThat(span.spanId()).isEqualTo(traceparent.substring(36, 52));
        assertThat(span.attribute("server.address")).isEqualTo("jwks.example.com");
        assertThat(span.attribute("server.port")).isEqualTo(8443L);
        assertThat(span.attribute("http.response.status_code")).isEqualTo(503L);
        assertThat(span.status()).isEqualTo(ERROR);
        assertThat(span.attributes().values()).noneMatch(v -> String.valueOf(v).contains("tenant-7") || String.valueOf(v).contains("outgoing-secret"));
    }

    @Test
    void a_webhook_delivery_is_a_client_span_whose_trace_the_receiver_gets() throws Exception {
        List<String> traceparents = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            traceparents.add(String.valueOf(ex.getRequestHeaders().getFirst("traceparent")));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook?token=hook-secret";
            Answer created = call("POST", "/v1/webhooks", adminKey, "{\"url\":\"" + url + "\",\"events\":[\"*\"]}", Map.of()).expect(201);
            String id = created.body().replaceAll(".*\"id\":\"(wh_[^\"]+)\".*", "$1");
            call("POST", "/v1/webhooks/" + id + "/test", adminKey, null, Map.of()).expect(202);

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (traceparents.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(traceparents).isNotEmpty();
            String traceparent = traceparents.get(0);
            assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]"); // sampled
            ExportedSpan span = awaitSpan(s -> s.spanId().equals(traceparent.substring(36, 52)));
            assertThat(span.kind()).isEqualTo(CLIENT);
            assertThat(span.name()).isEqualTo("POST");
            assertThat(span.traceId()).isEqualTo(traceparent.substring(3, 35));
            assertThat(span.attribute("server.address")).isEqualTo("127.0.0.1");
            assertThat(span.attribute("http.response.status_code")).isEqualTo(204L);
            assertThat(span.attributes().values()).noneMatch(v -> String.valueOf(v).contains("hook-secret"));
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void no_credential_path_or_query_string_reaches_the_collector() {
        call("POST", "/v1/service-accounts", adminKey, "{\"name\":\"secret-bot\"}", Map.of()).expect(201);
        String key = call("POST", "/v1/service-accounts/secret-bot/keys", adminKey, "{\"name\":\"k\"}", Map.of()).expect(201).json("key");
        String sampled = "00-" + hex(16) + "-" + hex(8) + "-01";
        call("POST", "/v1/verify", adminKey, "{\"credential\":\"" + key + "\"}", Map.of("traceparent", sampled)).expect(200);
        call("POST", "/v1/verify", adminKey, "{\"credential\":\"" + key + "\"}", Map.of()).expect(200);
        call("POST", "/v1/verify", key, "{\"credential\":\"" + key + "\"}", Map.of()).expect(403); // the key's role may not verify
        call("GET", "/v1/whoami", key, null, Map.of()).expect(200);
        call("GET", "/v1/service-accounts?limit=5&query-marker=" + key, adminKey, null, Map.of());
        Answer last = call("GET", "/v1/service-accounts/secret-bot/keys", adminKey, null, Map.of()).expect(200);
        awaitSpan(s -> last.requestId().equals(s.attribute("servitor.request_id")));
        awaitMarker();

        String exported = new String(collector.rawBytes(), StandardCharsets.ISO_8859_1);
        assertThat(exported).contains("/v1/service-accounts/{name}/keys"); // the check reads the real export
        String keySecretPart = key.substring(key.indexOf('_') + 1);
        assertThat(exported).doesNotContain(keySecretPart).doesNotContain(adminKey.substring(adminKey.indexOf('_') + 1))
            .doesNotContain("query-marker").doesNotContain("secret-bot");
    }

    // ------------------------------------------------------------------------------------------

    record Answer(int status, String body, String requestId) {
        Answer expect(int expected) {
            assertThat(status).as(body).isEqualTo(expected);
            return this;
        }

        String json(String field) {
            return body.replaceAll("(?s).*\"" + field + "\":\"([^\"]*)\".*", "$1");
        }
    }

    private static Answer call(String method, String path, String key, String json, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (key != null) b.header("Authorization", "Bearer " + key);
        if (json != null) b.header("Content-Type", "application/json");
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("X-Request-Id").orElseThrow());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The first exported span that matches, flushing the exporter until it comes (at most 10 s). */
    private static ExportedSpan awaitSpan(Predicate<ExportedSpan> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            tracing.flush(Duration.ofSeconds(5));
            Optional<ExportedSpan> found = collector.spans().stream().filter(wanted).findFirst();
            if (found.isPresent()) return found.get();
            if (System.nanoTime() > deadline) throw new AssertionError("no such span among " + collector.spans());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Waits until a traced request sent now has arrived: everything answered before it has been exported too. */
    private static void awaitMarker() {
        Answer marker = call("GET", "/v1/whoami", adminKey, null, Map.of()).expect(200);
        awaitSpan(s -> marker.requestId().equals(s.attribute("servitor.request_id")));
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros, which W3C calls invalid
        return java.util.HexFormat.of().formatHex(b);
    }
}
