// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.Servitor;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.config.TracingConfig;
import dev.servitor.server.http.ApiServer;
import dev.servitor.server.testing.TestClock;
import dev.servitor.testing.TestDatabases;
import dev.servitor.testing.TestDatabases.Engine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code SERVITOR_OTEL_SAMPLE_RATIO=0}: only the requests whose caller sampled them are traced. */
class SampleRatioTest {
    static OtlpReceiver collector;
    static OtelTracing tracing;
    static Servitor servitor;
    static ApiServer api;
    static String adminKey;

    @BeforeAll
    static void start() {
        collector = new OtlpReceiver();
        tracing = (OtelTracing) Tracing.start(new TracingConfig(collector.tracesUrl(), "servitor", 0.0));
        ServitorConfig.Storage storage = TestDatabases.fresh(Engine.SQLITE);
        servitor = Servitor.start(ServitorConfig.defaults().withStorage(storage), TestClock.now(), tracing.storeCalls(storage));
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
    void with_a_ratio_of_zero_only_a_callers_sampled_trace_is_followed() throws Exception {
        int unsampled = send("{\"name\":\"never-traced\"}", null);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        int sampled = send("{\"name\":\"traced\"}", "00-" + traceId + "-00f067aa0ba902b7-01");
        assertThat(unsampled).isEqualTo(201);
        assertThat(sampled).isEqualTo(201);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (collector.spans().stream().noneMatch(s -> s.traceId().equals(traceId) && s.name().equals("store write"))) {
            assertThat(System.nanoTime()).as("the sampled request's spans arrive").isLessThan(deadline);
            tracing.flush(Duration.ofSeconds(5));
        }
        // the unsampled request and its store calls left nothing: every span is the sampled trace's
        assertThat(collector.spans()).isNotEmpty().allSatisfy(s -> assertThat(s.traceId()).isEqualTo(traceId));
    }

    private static int send(String json, String traceparent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/service-accounts"))
            .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
        if (traceparent != null) b.header("traceparent", traceparent);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
