// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import dev.servitor.config.ServitorConfig;
import dev.servitor.server.config.TracingConfig;
import dev.servitor.store.Store;
import io.javalin.config.JavalinConfig;
import java.net.URI;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Handler;

/**
 * The server's seam for traces, in Servitor's own types only: {@link #OFF} (the default) hands
 * back every handler and store unchanged and never loads an OpenTelemetry class, so a node
 * without tracing pays neither start-up time nor a per-request cost. {@link #start} with a
 * {@link TracingConfig} gives {@link OtelTracing}, which exports spans over OTLP/HTTP.
 *
 * <p>What is traced (docs/observability.md): each HTTP request (a server span named by its
 * route template), each store transaction made while a traced request is current (a child
 * span), and each outgoing HTTP call ({@link #outgoing}). {@code /v1/verify},
 * {@code /oauth/introspect} and the probes only when the caller sends a sampled
 * {@code traceparent}. No span carries a header, a body, a query string or a request path:
 * credentials travel in those.
 */
public interface Tracing extends AutoCloseable {
    /** No tracing: everything passes through as it is. */
    Tracing OFF = new Off();

    /** {@link #OFF} when {@code config} is null, else spans exported as {@code config} says. */
    static Tracing start(TracingConfig config) {
        return config == null ? OFF : OtelTracing.start(config);
    }

    /**
     * Wraps the server's outermost handler: starts a request's span when it is to be traced and
     * ends it with the status of the answer, whichever handler wrote it.
     */
    Handler requests(Handler outermost);

    /**
     * Wraps the handler that runs a request's work (the hot path, then the routes): the request's
     * span is current on the thread that runs it, so that store calls become its children. It must
     * sit inside any handler that may hand the request to another thread.
     */
    Handler current(Handler work);

    /** Names each traced request's span by the route template Javalin matched. */
    void routes(JavalinConfig config);

    /** What the core should run its transactions through: a store that traces them, or the store itself. */
    UnaryOperator<Store> storeCalls(ServitorConfig.Storage storage);

    /**
     * An outgoing HTTP call about to be made to {@code target}: the future outgoing client (JWKS
     * of federated issuers, webhooks) calls this for each request, sends {@link OutgoingCall#headers}
     * with it and reports the answer. Only the scheme, host and port of {@code target} are recorded.
     */
    OutgoingCall outgoing(String method, URI target);

    /** Sends the spans still queued (waiting a few seconds at most) and stops exporting. */
    @Override
    void close();

    /** The default: nothing traced, nothing loaded. */
    final class Off implements Tracing {
        private Off() {}

        @Override public Handler requests(Handler outermost) { return outermost; }
        @Override public Handler current(Handler work) { return work; }
        @Override public void routes(JavalinConfig config) {}
        @Override public UnaryOperator<Store> storeCalls(ServitorConfig.Storage storage) { return UnaryOperator.identity(); }
        @Override public OutgoingCall outgoing(String method, URI target) { return OutgoingCall.NONE; }
        @Override public void close() {}
    }
}
