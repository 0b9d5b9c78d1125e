// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code SERVITOR_METRICS_PORT} and {@code SERVITOR_METRICS_TOKEN}: the metrics on a port of their own, behind a token. */
class MetricsAccessTest {
    private static final String TOKEN = "metrics-token-0123456789abcdef";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE, c -> c.withHttp(c.http().withMetrics(0, TOKEN)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestServer.Response onMetricsPort(String method, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + path))
            .method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "{}"));
        if (authorization != null) b.header("Authorization", authorization);
        return server.send(b.build());
    }

    private static void assertProblem(TestServer.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo(code);
    }

    @Test
    void the_metrics_are_served_on_their_own_port_with_the_token() {
        assertThat(server.metricsPort()).isNotEqualTo(URI.create(server.url()).getPort());
        TestServer.Response m = onMetricsPort("GET", "/metrics", "Bearer " + TOKEN).expect(200);
        assertThat(m.header("Content-Type")).startsWith("text/plain");
        assertThat(m.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void without_the_token_or_with_another_the_metrics_are_401() {
        TestServer.Response none = onMetricsPort("GET", "/metrics", null);
        assertProblem(none, 401, "unauthenticated");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(onMetricsPort("GET", "/metrics", "Bearer " + TOKEN + "x"), 401, "unauthenticated");
        assertProblem(onMetricsPort("GET", "/metrics", "Bearer " + TOKEN.substring(1)), 401, "unauthenticated");
        assertProblem(onMetricsPort("GET", "/metrics", TOKEN), 401, "unauthenticated");
        assertProblem(onMetricsPort("GET", "/metrics", "Bearer " + server.adminKey()), 401, "unauthenticated");
    }

    @Test
    void the_api_port_does_not_serve_the_metrics() {
        assertProblem(server.get("/metrics", null), 404, "not_found");
        assertProblem(server.get("/metrics", "Bearer " + TOKEN), 404, "not_found");
        server.get("/healthz", null).expect(200);
    }

    @Test
    void the_metrics_port_serves_nothing_but_the_metrics() {
        assertProblem(onMetricsPort("GET", "/healthz", "Bearer " + TOKEN), 404, "not_found");
        assertProblem(onMetricsPort("GET", "/v1/whoami", "Bearer " + server.adminKey()), 404, "not_found");
        // the verification hot path sits behind the port check too
        assertProblem(onMetricsPort("POST", "/v1/verify", "Bearer " + server.adminKey()), 404, "not_found");
    }
}
