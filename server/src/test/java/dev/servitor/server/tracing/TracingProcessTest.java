// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code servitor serve} as an operator runs it, in its own JVM with class loading logged: with
 * tracing off (the default) not one OpenTelemetry class is loaded, even while requests are
 * answered; with {@code SERVITOR_OTEL_ENDPOINT} set, its spans reach the collector, the last
 * ones sent as the node shuts down.
 */
class TracingProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final Pattern ADMIN_KEY = Pattern.compile("Admin API key: (\\S+)");

    record Run(Process process, String url, String adminKey) {}

    @Test
    void with_tracing_off_no_opentelemetry_class_is_loaded(@TempDir Path tmp) throws Exception {
        Path classes = tmp.resolve("classes.log");
        Run run = serve(tmp, classes, Map.of());
        assertThat(call(run, "GET", "/v1/whoami", null)).isEqualTo(200);
        assertThat(call(run, "POST", "/v1/verify", "{\"credential\":\"" + run.adminKey() + "\"}")).isEqualTo(200);
        assertThat(call(run, "GET", "/v1/service-accounts", null)).isEqualTo(200);
        stop(run);

        String loaded = Files.readString(classes);
        assertThat(loaded).contains("dev.servitor.server.http.HotPath").contains("dev.servitor.server.tracing.Tracing$Off");
        assertThat(loaded).doesNotContain("io.opentelemetry").doesNotContain("dev.servitor.server.tracing.OtelTracing");
    }

    @Test
    void with_an_endpoint_set_the_node_exports_its_spans_and_flushes_them_on_shutdown(@TempDir Path tmp) throws Exception {
        try (OtlpReceiver collector = new OtlpReceiver()) {
            String base = collector.tracesUrl().toString().replace("/v1/traces", "");
            Path classes = tmp.resolve("classes.log");
            Run run = serve(tmp, classes, Map.of("SERVITOR_OTEL_ENDPOINT", base, "SERVITOR_OTEL_SERVICE_NAME", "edge-auth"));
            assertThat(call(run, "GET", "/v1/whoami", null)).isEqualTo(200);
            stop(run); // well before the batch's 5 s delay: only the shutdown sends it

            assertThat(collector.spans()).anySatisfy(s -> {
                assertThat(s.name()).isEqualTo("GET /v1/whoami");
                assertThat(s.service()).isEqualTo("edge-auth");
            });
            assertThat(Files.readString(classes)).contains("io.opentelemetry.sdk.trace.SdkTracerProvider"); // the check above can fail
        }
    }

    private static Run serve(Path tmp, Path classLog, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xlog:class+load=info:file=" + classLog, "-cp", System.getProperty("java.class.path"),
            "dev.servitor.server.Main", "serve", "--port", "0", "--data-dir", tmp.resolve("data").toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("SERVITOR_") || k.startsWith("OTEL_"));
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        String adminKey = null;
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            Matcher key = ADMIN_KEY.matcher(line);
            if (key.find()) adminKey = key.group(1);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) return new Run(p, m.group(1), adminKey);
        }
        throw new AssertionError("server did not start: " + lines);
    }

    private static int call(Run run, String method, String path, String json) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(run.url() + path)).header("Authorization", "Bearer " + run.adminKey())
            .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) r.header("Content-Type", "application/json");
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void stop(Run run) throws InterruptedException {
        run.process().destroy();
        assertThat(run.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
