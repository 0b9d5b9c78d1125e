// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The client span of one outgoing HTTP call: a child of the current span (a traced request's), or
 * the root of a new trace when there is none and the sampler picks it (a background delivery).
 * Records {@code http.request.method}, {@code url.scheme}, {@code server.address},
 * {@code server.port} and {@code http.response.status_code}: never the path or query, where
 * webhook URLs and the like carry tokens.
 */
final class OutgoingSpan implements OutgoingCall {
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    private static final AttributeKey<String> ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private final Span span;
    private final Map<String, String> headers;

    private OutgoingSpan(Span span, Map<String, String> headers) {
        this.span = span;
        this.headers = headers;
    }

    static OutgoingCall start(Tracer tracer, String method, URI target) {
        int port = target.getPort() != -1 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
        Span span = tracer.spanBuilder(method).setSpanKind(SpanKind.CLIENT)
            .setAttribute(METHOD, method)
            .setAttribute(SCHEME, String.valueOf(target.getScheme()))
            .setAttribute(ADDRESS, String.valueOf(target.getHost()))
            .setAttribute(PORT, (long) port)
            .startSpan();
        Map<String, String> headers = new HashMap<>();
        // also when not recording: a caller's unsampled flag is passed on as it came
        W3CTraceContextPropagator.getInstance().inject(Context.current().with(span), headers, Map::put);
        return new OutgoingSpan(span, Map.copyOf(headers));
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public void answered(int status) {
        span.setAttribute(STATUS, (long) status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
            span.setAttribute(RequestSpans.ERROR_TYPE, Integer.toString(status));
        }
        span.end();
    }

    @Override
    public void failed(Throwable failure) {
        span.setStatus(StatusCode.ERROR);
        span.setAttribute(RequestSpans.ERROR_TYPE, failure.getClass().getName());
        span.end();
    }
}
