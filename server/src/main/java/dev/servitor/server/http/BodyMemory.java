// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.concurrent.Semaphore;

/**
 * Large request bodies held in memory, node-wide. A body of up to 1 MiB costs several times its
 * size while it is read and parsed (the bytes, a copy, the parsed text), and a hundred of them
 * in parallel, even to {@code POST /v1/session} without a credential, exhausted a 256 MiB heap.
 * A body over {@link #SMALL} is read only while its bytes (its declared length, or what has
 * arrived) fit in a pool of {@link #MAX_IN_FLIGHT}, else it is answered 503 with
 * {@code Retry-After} at once; the bytes go back to the pool when the request ends. Small bodies
 * are not counted: the thread pool already bounds them.
 */
final class BodyMemory {
    /** Bodies up to this size are not counted. */
    static final int SMALL = 64 * 1024;
    /** Bytes of large bodies that requests in progress may hold together: about 5x that in heap. */
    static final int MAX_IN_FLIGHT = 12 * 1024 * 1024;
    private static final Semaphore FREE = new Semaphore(MAX_IN_FLIGHT);
    private static final String HELD = "servitor.body-bytes-held";

    private BodyMemory() {}

    /** Gives back, at the end of every request, what its body took. */
    static void register(JavalinConfig config) {
        config.routes.after(BodyMemory::release);
    }

    /** Makes sure the request holds room for a body of {@code bytes} in all, or refuses with 503. */
    static void ensure(Context ctx, int bytes) {
        if (bytes <= SMALL) return;
        Integer held = ctx.attribute(HELD);
        int more = bytes - (held == null ? 0 : held);
        if (more <= 0) return;
        if (!FREE.tryAcquire(more)) {
            ctx.header("Retry-After", "1");
            throw new ServiceException(ErrorCode.UNAVAILABLE, "The server is reading too many large request bodies at once; retry in a moment");
        }
        ctx.attribute(HELD, bytes);
    }

    static void release(Context ctx) {
        Integer held = ctx.attribute(HELD);
        if (held == null || held == 0) return;
        ctx.attribute(HELD, 0);
        FREE.release(held);
    }

    /** Bytes of the pool free now (tests). */
    static int free() {
        return FREE.availablePermits();
    }
}
