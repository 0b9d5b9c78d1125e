// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.store.Store;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Health, readiness, Prometheus metrics and the OpenAPI document: no credential needed, except
 * the token {@code SERVITOR_METRICS_TOKEN} for the metrics when it is set.
 */
final class OperationalRoutes {
    static final String METRICS_PATH = "/metrics";
    private final Store store;
    private final ReadinessProbe readiness;
    private final ServerMetrics metrics;
    /** "Bearer <token>", or null when the metrics are open. */
    private final byte[] metricsAuthorization;

    OperationalRoutes(Store store, ServerMetrics metrics, String metricsToken) {
        this.store = store;
        this.readiness = new ReadinessProbe(store::ping);
        this.metrics = metrics;
        this.metricsAuthorization = metricsToken == null ? null : ("Bearer " + metricsToken).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Converted on the first request for it, not at start: the YAML parser and the conversion
     * cost about 0.2 s of start-up (bench/LOG.md, "Start-up and memory") for a document
     * few clients ask for. The class holder makes the conversion happen once, thread-safely.
     */
    private static final class OpenApiJson {
        static final byte[] BYTES = loadOpenApi();
    }

    void register(JavalinConfig config) {
        config.routes.get("/healthz", ctx -> Json.write(ctx, 200, Map.of("status", "ok")));
        config.routes.get("/readyz", ctx -> {
            boolean up = readiness.ready();
            boolean full = up && store.storageFull();
            Json.write(ctx, up && !full ? 200 : 503, Map.of("status", up && !full ? "ready" : "unavailable",
                "database", full ? "full" : up ? "up" : "down"));
        });
        config.routes.get(METRICS_PATH, ctx -> {
            requireMetricsToken(ctx);
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
        config.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(OpenApiJson.BYTES));
    }

    private void requireMetricsToken(Context ctx) {
        if (metricsAuthorization == null) return;
        String given = ctx.header("Authorization");
        if (given != null && MessageDigest.isEqual(metricsAuthorization, given.getBytes(StandardCharsets.UTF_8))) return;
        ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
        throw new ServiceException(ErrorCode.UNAUTHENTICATED, "The metrics token is required (Authorization: Bearer <SERVITOR_METRICS_TOKEN>)");
    }

    /** The spec-first openapi.yaml, converted to JSON. */
    static byte[] loadOpenApi() {
        try (InputStream in = OperationalRoutes.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) throw new IllegalStateException("openapi.yaml is missing from the jar");
            JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(in);
            return new ObjectMapper().writeValueAsBytes(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
