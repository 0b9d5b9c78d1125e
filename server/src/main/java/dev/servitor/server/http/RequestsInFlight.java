// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts the requests this node is answering, outermost in the handler chain, so that background
 * work can tell when the node is busy: the delivery worker then leaves lifecycle events to wait
 * (docs/webhooks.md "Under load"). Busy means at least as many requests in progress as the machine has
 * processors (at least two): a client sending one request after another never makes the node busy.
 */
final class RequestsInFlight extends Handler.Wrapper {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int busyAt = Math.max(2, Runtime.getRuntime().availableProcessors());

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        inFlight.incrementAndGet();
        boolean handled = false;
        try {
            handled = super.handle(request, response, Callback.from(callback, inFlight::decrementAndGet));
            return handled;
        } finally {
            if (!handled) inFlight.decrementAndGet();
        }
    }

    boolean busy() {
        return inFlight.get() >= busyAt;
    }

    int inFlight() {
        return inFlight.get();
    }
}
