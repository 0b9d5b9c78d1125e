// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OperationalRoutesTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void health_and_readiness_need_no_credential() {
        assertThat(server.get("/healthz", null).expect(200).json().get("status").asText()).isEqualTo("ok");
        assertThat(server.get("/readyz", null).expect(200).json().get("database").asText()).isEqualTo("up");
    }

    @Test
    void metrics_count_authentications_by_outcome_in_prometheus_format() {
        server.get("/v1/whoami", server.adminKey()).expect(200);
        server.get("/v1/whoami", "svt_wrong").expect(401);
        TestServer.Response m = server.get("/metrics", null).expect(200);
        assertThat(m.header("Content-Type")).startsWith("text/plain");
        assertThat(m.body()).contains("servitor_authentications_total{code=\"VALID\"}")
            .contains("servitor_authentications_total{code=\"NOT_FOUND\"}")
            .contains("jvm_memory_used_bytes")
            .contains("servitor_http_requests_seconds_count");
        assertThat(m.body()).doesNotContain(server.adminKey());
    }

    @Test
    void verify_and_introspect_times_are_histograms_with_a_two_millisecond_bucket() {
        double verifiesBefore = sample("servitor_checks_seconds_count{endpoint=\"verify\"}");
        double introspectsBefore = sample("servitor_checks_seconds_count{endpoint=\"introspect\"}");
        String body = "{\"credential\": \"" + server.adminKey() + "\"}";
        server.post("/v1/verify", server.adminKey(), body).expect(200); // answered by the hot path
        server.post("/v1/verify", server.adminKey(), "{\"credential\": 7}").expect(400); // answered by the routes
        server.post("/v1/verify", "svt_wrong", body).expect(401);
        assertThat(sample("servitor_checks_seconds_count{endpoint=\"verify\"}")).isEqualTo(verifiesBefore + 3);
        assertThat(sample("servitor_checks_seconds_count{endpoint=\"introspect\"}")).isEqualTo(introspectsBefore);
        double within2ms = sample("servitor_checks_seconds_bucket{endpoint=\"verify\",le=\"0.002\"}");
        double all = sample("servitor_checks_seconds_bucket{endpoint=\"verify\",le=\"+Inf\"}");
        assertThat(all).isEqualTo(verifiesBefore + 3);
        assertThat(within2ms).isBetween(0.0, all);
        assertThat(server.get("/metrics", null).body()).contains("servitor_http_requests_seconds_bucket{status=\"2xx\",le=\"0.002\"}");
    }

    @Test
    void a_valid_caller_is_counted_once_whichever_path_answers() {
        server.createServiceAccount("metrics-bot");
        String noVerify = server.createKey("metrics-bot", "k"); // role user: may not verify others' credentials
        String body = "{\"credential\": \"" + server.adminKey() + "\"}";
        String valid = "servitor_authentications_total{code=\"VALID\"}";

        double before = sample(valid);
        server.post("/v1/verify", server.adminKey(), body).expect(200); // the hot path answers
        assertThat(sample(valid)).isEqualTo(before + 1);
        server.post("/v1/verify", noVerify, body).expect(403); // valid caller, refused by the routes after the hot path
        assertThat(sample(valid)).isEqualTo(before + 2);
    }

    /** The value of one series in the Prometheus text, 0 when it is not there yet. */
    private static double sample(String series) {
        for (String line : server.get("/metrics", null).expect(200).body().split("\n")) {
            if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
        return 0;
    }

    @Test
    void every_response_carries_a_request_id() {
        assertThat(server.get("/healthz", null).header("X-Request-Id")).isNotBlank();
    }
}
