// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import io.javalin.config.JavalinConfig;
import io.javalin.router.Endpoint;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The server span of each traced HTTP request. Started by the outermost handler (so it covers
 * every answer, a body timeout's as well as the routes'), made current by an inner one on the
 * thread that runs the request's work, named by the route once Javalin has matched it, ended when
 * the answer is complete.
 *
 * <p>Attributes: {@code http.request.method}, {@code http.route} (the template, e.g.
 * {@code /v1/service-accounts/{name}}), {@code http.response.status_code}, {@code url.scheme},
 * {@code network.peer.address}, {@code servitor.request_id} (the {@code X-Request-Id} answered),
 * and {@code error.type} for a 5xx. Never the path itself, the query string, a header or a body.
 */
final class RequestSpans {
    /** The request attribute that carries the span from the outermost handler to the inner ones. */
    static final String SPAN = "dev.servitor.tracing.span";
    static final String TRACEPARENT = "traceparent";
    private static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    private static final AttributeKey<String> PEER = AttributeKey.stringKey("network.peer.address");
    private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("servitor.request_id");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    /**
     * Calls made so often that a trace of each would cost more than the call (the platform's
     * checks) or say nothing (probes, scrapes): traced only when the caller's traceparent is sampled.
     */
    private static final Set<String> QUIET_POSTS = Set.of("/v1/verify", "/oauth/introspect");
    private static final Set<String> QUIET_GETS = Set.of("/healthz", "/readyz", "/metrics");

    private static final TextMapGetter<HttpFields> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpFields carrier) {
            return carrier.getFieldNamesCollection();
        }

        @Override
        public String get(HttpFields carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    RequestSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    Handler outermost(Handler next) {
        Starting starting = new Starting();
        starting.setHandler(next);
        return starting;
    }

    Handler current(Handler work) {
        Current current = new Current();
        current.setHandler(work);
        return current;
    }

    void routes(JavalinConfig config) {
        config.routes.after(ctx -> {
            Span span = Span.current();
            Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
            if (span.isRecording() && endpoint != null) named(span, ctx.method().name(), endpoint.path);
        });
    }

    private static void named(Span span, String method, String route) {
        span.setAttribute(ROUTE, route);
        span.updateName(method + " " + route);
    }

    /** The gateway's sub-request of every request it serves (docs/api.md, "Gateway integration"), whatever its method. */
    private static final String FORWARD_AUTH = "/v1/forward-auth";

    static boolean quiet(String method, String path) {
        if (FORWARD_AUTH.equals(path)) return true;
        return "POST".equals(method) ? QUIET_POSTS.contains(path) : "GET".equals(method) && QUIET_GETS.contains(path);
    }

    /** Starts the span of a request that is to be traced, and ends it with the answer. */
    private final class Starting extends Handler.Wrapper {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String method = request.getMethod();
            String path = request.getHttpURI().getPath();
            boolean quiet = quiet(method, path);
            HttpFields headers = request.getHeaders();
            // the hot path's usual case: one header lookup, nothing started
            if (quiet && headers.get(TRACEPARENT) == null) return super.handle(request, response, callback);
            Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, HEADERS);
            if (quiet && !Span.fromContext(parent).getSpanContext().isSampled()) return super.handle(request, response, callback);
            Span span = tracer.spanBuilder(method).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .setAttribute(SCHEME, request.getHttpURI().getScheme())
                .setAttribute(PEER, Request.getRemoteAddr(request))
                .startSpan();
            request.setAttribute(SPAN, span);
            // the sampler said no: current all the same, so that what the request calls out to is not sampled either
            if (!span.isRecording()) return super.handle(request, response, callback);
            if (quiet) named(span, method, path); // these paths are their own templates
            Ending ending = new Ending(span, response, callback);
            boolean handled;
            // current on this thread too: a handler in front of the bodies (forward auth) does its work here
            try (Scope ignored = span.makeCurrent()) {
                handled = super.handle(request, response, ending);
            } catch (Throwable e) {
                ending.end(500, e.getClass().getName()); // Jetty answers it 500 with its own callback
                throw e;
            }
            if (!handled) ending.end(404, null); // Jetty answers it 404 with its own callback
            return handled;
        }
    }

    /** Ends the span once, with the status the client got, then completes the request. */
    private static final class Ending implements Callback {
        private final Span span;
        private final Response response;
        private final Callback next;
        private boolean ended;

        Ending(Span span, Response response, Callback next) {
            this.span = span;
            this.response = response;
            this.next = next;
        }

        @Override
        public void succeeded() {
            end(response.getStatus(), null);
            next.succeeded();
        }

        @Override
        public void failed(Throwable failure) {
            end(response.getStatus(), failure.getClass().getName()); // not its message, which may quote the request
            next.failed(failure);
        }

        synchronized void end(int status, String errorType) {
            if (ended) return;
            ended = true;
            span.setAttribute(STATUS, (long) status);
            String requestId = response.getHeaders().get(REQUEST_ID_HEADER);
            if (requestId != null) span.setAttribute(REQUEST_ID, requestId);
            if (errorType == null && status >= 500) errorType = Integer.toString(status);
            if (errorType != null) {
                span.setStatus(StatusCode.ERROR);
                span.setAttribute(ERROR_TYPE, errorType);
            }
            span.end();
        }

        @Override
        public InvocationType getInvocationType() {
            return next.getInvocationType();
        }
    }

    /** Makes the request's span current while the handlers inside run on this thread. */
    private static final class Current extends Handler.Wrapper {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!(request.getAttribute(SPAN) instanceof Span span)) return super.handle(request, response, callback);
            try (Scope ignored = span.makeCurrent()) {
                return super.handle(request, response, callback);
            }
        }
    }
}
