// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import dev.servitor.config.ServitorConfig;
import dev.servitor.server.config.TracingConfig;
import dev.servitor.store.Store;
import io.javalin.config.JavalinConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Handler;

/**
 * Tracing with the OpenTelemetry SDK, its own instance (never the global one): spans are batched
 * in memory (up to 2048; more are dropped, so a slow or absent collector never holds a request)
 * and POSTed as OTLP protobuf by the JDK's HttpClient. The sampler follows a caller's sampled
 * flag and otherwise starts a trace for {@link TracingConfig#sampleRatio()} of the requests.
 */
public final class OtelTracing implements Tracing {
    static final String INSTRUMENTATION = "dev.servitor.server";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final RequestSpans requests;

    private OtelTracing(SdkTracerProvider provider) {
        this.provider = provider;
        this.tracer = provider.get(INSTRUMENTATION);
        this.requests = new RequestSpans(tracer);
    }

    static OtelTracing start(TracingConfig config) {
        SdkLogs.install();
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
            .setEndpoint(config.tracesEndpoint().toString())
            .setTimeout(Duration.ofSeconds(10))
            .build();
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), config.serviceName(),
            // tells the nodes of one deployment apart; a new one each start
            AttributeKey.stringKey("service.instance.id"), UUID.randomUUID().toString())));
        SdkTracerProvider provider = SdkTracerProvider.builder()
            .setResource(resource)
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
        return new OtelTracing(provider);
    }

    @Override
    public Handler requests(Handler outermost) {
        return requests.outermost(outermost);
    }

    @Override
    public Handler current(Handler work) {
        return requests.current(work);
    }

    @Override
    public void routes(JavalinConfig config) {
        requests.routes(config);
    }

    @Override
    public UnaryOperator<Store> storeCalls(ServitorConfig.Storage storage) {
        String system = storage.isPostgres() ? "postgresql" : "sqlite";
        return store -> new TracedStore(store, tracer, system);
    }

    @Override
    public OutgoingCall outgoing(String method, URI target) {
        return OutgoingSpan.start(tracer, method, target);
    }

    /** Exports every span ended so far; true when the collector took them within {@code timeout}. */
    public boolean flush(Duration timeout) {
        CompletableResultCode done = provider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return done.isSuccess();
    }

    @Override
    public void close() {
        provider.shutdown().join(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
