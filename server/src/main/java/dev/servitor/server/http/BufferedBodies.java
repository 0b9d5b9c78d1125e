// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.common.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads every request body in full before the request is handled, without holding a thread
 * while it arrives: Jetty calls back when more bytes are there. The routes behind read their
 * bodies with blocking calls on a pool thread; a few hundred clients that send headers and a
 * few body bytes would otherwise hold every thread of the pool, and {@code /healthz} with them.
 *
 * <p>A body must arrive in full within {@code timeoutMillis} (408, connection closed). A body
 * over {@link JsonBody#MAX_BYTES} gets 413 (read to its end, up to four times that and within the
 * same time, and thrown away, so that a client still uploading sees the answer rather than a
 * reset connection). The bodies still arriving may hold at most {@code budgetBytes} together
 * (503 past it), so that many slow uploads cannot exhaust the heap.
 */
final class BufferedBodies extends Handler.Wrapper {
    private static final long DRAIN_LIMIT = 4L * JsonBody.MAX_BYTES;
    private final long timeoutMillis;
    private final long budgetBytes;
    /** Bytes of the bodies now arriving, not yet handed on. */
    private final AtomicLong arriving = new AtomicLong();

    BufferedBodies(long timeoutMillis, long budgetBytes) {
        this.timeoutMillis = timeoutMillis;
        this.budgetBytes = budgetBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long length = request.getLength();
        boolean body = length > 0 || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
        if (!body) return super.handle(request, response, callback);
        if (length > DRAIN_LIMIT) {
            tooLarge(request, response, callback);
            return true;
        }
        new Arrival(request, response, callback, length).run();
        return true;
    }

    private static void tooLarge(Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        JettyProblems.write(request, response, callback, 413, ErrorCode.PAYLOAD_TOO_LARGE, "The body is larger than 1 MiB", "body");
    }

    /** One body arriving. Jetty calls {@link #run} again whenever more of it is there. */
    private final class Arrival implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final ByteArrayOutputStream bytes;
        private long received;
        /** Bytes counted against the budget, given back once. */
        private long held;
        private boolean finished;
        private Scheduler.Task deadline;

        Arrival(Request request, Response response, Callback callback, long length) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            // sized by what arrives, never by what Content-Length claims
            this.bytes = new ByteArrayOutputStream((int) Math.min(length > 0 ? length : 1024, 16 * 1024));
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    if (startClock()) request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    failed(chunk.getFailure());
                    return;
                }
                boolean last = chunk.isLast();
                Outcome outcome = take(chunk.getByteBuffer(), last);
                chunk.release();
                switch (outcome) {
                    case MORE -> { }
                    case DONE -> { return; }
                    case COMPLETE -> { handOn(); return; }
                    case TOO_LARGE -> { tooLarge(request, response, callback); return; }
                    case OVER_BUDGET -> { overBudget(); return; }
                }
            }
        }

        private enum Outcome { MORE, DONE, COMPLETE, TOO_LARGE, OVER_BUDGET }

        /** Keeps the bytes of a chunk (or counts and drops them, past the size limit). */
        private synchronized Outcome take(ByteBuffer buffer, boolean last) {
            if (finished) return Outcome.DONE;
            int n = buffer.remaining();
            received += n;
            if (received > JsonBody.MAX_BYTES) { // from here on, only counted and thrown away
                if (received <= DRAIN_LIMIT && !last) return Outcome.MORE;
                finish();
                return Outcome.TOO_LARGE;
            }
            if (arriving.addAndGet(n) > budgetBytes) {
                arriving.addAndGet(-n);
                finish();
                return Outcome.OVER_BUDGET;
            }
            held += n;
            if (buffer.hasArray()) {
                bytes.write(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
            } else {
                byte[] copy = new byte[n];
                buffer.get(copy);
                bytes.write(copy, 0, n);
            }
            if (!last) return Outcome.MORE;
            finish();
            return Outcome.COMPLETE;
        }

        /** Arms the deadline the first time the body has to be waited for; false once the arrival is over. */
        private synchronized boolean startClock() {
            if (finished) return false;
            if (deadline == null) {
                deadline = request.getComponents().getScheduler().schedule(this::tooSlow, timeoutMillis, TimeUnit.MILLISECONDS);
            }
            return true;
        }

        /** Ends the arrival; true for the one caller that ended it. */
        private synchronized boolean finish() {
            if (finished) return false;
            finished = true;
            if (deadline != null) deadline.cancel();
            arriving.addAndGet(-held);
            held = 0;
            return true;
        }

        private void handOn() {
            Request withBody = new HotPath.WithBody(request, ByteBuffer.wrap(bytes.toByteArray()));
            try {
                if (!BufferedBodies.super.handle(withBody, response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable x) {
                callback.failed(x);
            }
        }

        private void tooSlow() {
            if (!finish()) return;
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            JettyProblems.write(request, response, callback, 408, ErrorCode.REQUEST_TIMEOUT,
                "The request body did not arrive within " + timeoutMillis / 1000 + " s", "body");
        }

        private void overBudget() {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            JettyProblems.write(request, response, callback, 503, ErrorCode.UNAVAILABLE,
                "Too many request bodies are arriving at once; retry shortly", null);
        }

        /** The connection failed (the client went away) or timed out while idle. */
        private void failed(Throwable failure) {
            if (!finish()) return;
            if (failure instanceof TimeoutException) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                JettyProblems.write(request, response, callback, 408, ErrorCode.REQUEST_TIMEOUT,
                    "The request body stopped arriving", "body");
            } else {
                callback.failed(failure);
            }
        }
    }
}
