// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.authn.VerificationCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics of one node: JVM, HTTP requests by status, credential checks by outcome,
 * and the time the checks a platform makes on every call take. Request times are histograms
 * with fixed buckets, so {@code histogram_quantile} gives their p99 across nodes.
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<VerificationCode, Counter> authentications = new EnumMap<>(VerificationCode.class);
    private final Map<VerificationCode, Counter> verifications = new EnumMap<>(VerificationCode.class);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
        for (VerificationCode c : VerificationCode.values()) {
            authentications.put(c, Counter.builder("servitor_authentications").description("Credentials presented to /v1, by outcome")
                .tag("code", c.name()).register(registry));
            verifications.put(c, Counter.builder("servitor_verifications").description("Answers of /v1/verify, by code")
                .tag("code", c.name()).register(registry));
        }
    }

    void authentication(VerificationCode code) {
        authentications.get(code).increment();
    }

    void verification(VerificationCode code) {
        verifications.get(code).increment();
    }

    /** Bucket bounds of the request-time histograms; 2 ms is the cold-verification budget (docs/benchmarks.md). */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1).dividedBy(4), Duration.ofMillis(1).dividedBy(2),
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500)};

    /** One timer per status class, made once: registering on every request would look it up each time. */
    private final Timer[] requestTimers = new Timer[6];
    private final Timer verifyTimer = checkTimer("verify");
    private final Timer introspectTimer = checkTimer("introspect");
    private final Timer forwardAuthTimer = checkTimer("forward_auth");
    private final Map<String, Counter> forwardAuthOutcomes = new java.util.concurrent.ConcurrentHashMap<>();

    private Timer checkTimer(String endpoint) {
        return Timer.builder("servitor_checks")
            .description("Time to answer POST /v1/verify, /oauth/introspect or /v1/forward-auth, whatever the answer")
            .tag("endpoint", endpoint).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    /**
     * Records an answered request: its status class, and for {@code POST /v1/verify} and
     * {@code POST /oauth/introspect} also its check timer. The hot path and the routes both call this.
     */
    void answered(String method, String path, int status, long nanos) {
        request(status, nanos);
        if (!"POST".equals(method)) return;
        if (VerifyEndpoint.PATH.equals(path)) verifyTimer.record(nanos, TimeUnit.NANOSECONDS);
        else if (IntrospectEndpoint.PATH.equals(path)) introspectTimer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Records an answer of {@code /v1/forward-auth} (any method): its status class, its check timer
     * and its outcome, which tells apart what the client sees as one 401 (a refused customer
     * credential, or a missing or refused gateway key).
     */
    void forwardAuth(String outcome, int status, long nanos) {
        request(status, nanos);
        forwardAuthTimer.record(nanos, TimeUnit.NANOSECONDS);
        forwardAuthOutcomes.computeIfAbsent(outcome, o -> Counter.builder("servitor_forward_auth")
            .description("Answers of /v1/forward-auth, by outcome").tag("outcome", o).register(registry)).increment();
    }

    private void request(int status, long nanos) {
        int cls = Math.max(1, Math.min(5, status / 100));
        Timer t = requestTimers[cls];
        if (t == null) {
            t = Timer.builder("servitor_http_requests").description("HTTP requests by status class")
                .tag("status", cls + "xx").serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
            requestTimers[cls] = t;
        }
        t.record(nanos, TimeUnit.NANOSECONDS);
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
