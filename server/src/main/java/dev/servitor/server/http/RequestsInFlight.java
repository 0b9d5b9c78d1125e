// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts the requests this node is answering, outermost in the handler chain, so that background
 * work can tell when the node is busy: the delivery worker then leaves lifecycle events to wait
 * (docs/api.md "Lifecycle events"). The count is sampled every {@link #SAMPLE_MS} ms; busy means
 * that over the last {@link #SAMPLES} samples there were on average at least half as many requests
 * in progress as the machine has processors (at least one): a load generator keeps it there, a
 * client sending one request after another never does. (An instant count misses short requests: a
 * node answering 30,000 verifications a second often has none in progress at a given instant.)
 */
final class RequestsInFlight extends Handler.Wrapper {
    static final int SAMPLE_MS = 10;
    static final int SAMPLES = 50;
    private static final ScheduledExecutorService SAMPLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "servitor-requests-sampler");
        t.setDaemon(true);
        return t;
    });

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int busyAt = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private final int[] samples = new int[SAMPLES];
    private int next;
    private volatile long sum;
    private ScheduledFuture<?> sampling;

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

    @Override
    protected void doStart() throws Exception {
        sampling = SAMPLER.scheduleAtFixedRate(this::sample, SAMPLE_MS, SAMPLE_MS, TimeUnit.MILLISECONDS);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        if (sampling != null) sampling.cancel(false);
        super.doStop();
    }

    /** On the sampler's one thread only. */
    private void sample() {
        int now = inFlight.get();
        sum = sum - samples[next] + now;
        samples[next] = now;
        next = (next + 1) % SAMPLES;
    }

    boolean busy() {
        return sum >= (long) busyAt * SAMPLES;
    }
}
