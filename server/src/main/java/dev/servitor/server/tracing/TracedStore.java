// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import dev.servitor.common.ServiceException;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.function.Function;

/**
 * The store, with a span for each transaction run while a traced request is current: a child of
 * that request's span named {@code store read} or {@code store write}, with {@code db.system.name}
 * ({@code sqlite} or {@code postgresql}). Work off any request (the batched audit, usage and
 * last-used writes, every 250 ms to 1 s) starts no trace of its own: it would only be noise.
 * Nothing of the statements or their values is recorded. A failure of the store adds
 * {@code error.type} (the error code, e.g. {@code unavailable}, or the exception's class); a
 * refusal that rolled the transaction back adds {@code servitor.error_code} (e.g. {@code not_found}).
 */
final class TracedStore implements Store {
    private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system.name");
    private static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("servitor.error_code");
    private final Store store;
    private final Tracer tracer;
    private final String system;

    TracedStore(Store store, Tracer tracer, String system) {
        this.store = store;
        this.tracer = tracer;
        this.system = system;
    }

    @Override
    public <T> T write(Function<Tx, T> work) {
        if (!Span.current().isRecording()) return store.write(work);
        Span span = start("store write");
        try (Scope ignored = span.makeCurrent()) {
            return store.write(work);
        } catch (RuntimeException e) {
            throw failed(span, e);
        } finally {
            span.end();
        }
    }

    @Override
    public <T> T read(Function<Tx, T> work) {
        if (!Span.current().isRecording()) return store.read(work);
        Span span = start("store read");
        try (Scope ignored = span.makeCurrent()) {
            return store.read(work);
        } catch (RuntimeException e) {
            throw failed(span, e);
        } finally {
            span.end();
        }
    }

    private Span start(String name) {
        return tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT).setAttribute(DB_SYSTEM, system).startSpan();
    }

    /** A refusal (4xx) rolled the transaction back but is no failure of the store: only its code is recorded. */
    private static RuntimeException failed(Span span, RuntimeException e) {
        if (e instanceof ServiceException s && s.code().status() < 500) {
            span.setAttribute(ERROR_CODE, s.code().code());
        } else {
            span.setStatus(StatusCode.ERROR);
            span.setAttribute(RequestSpans.ERROR_TYPE, e instanceof ServiceException s ? s.code().code() : e.getClass().getName());
        }
        return e;
    }

    @Override
    public boolean ping() {
        return store.ping();
    }

    @Override
    public boolean storageFull() {
        return store.storageFull();
    }
}
