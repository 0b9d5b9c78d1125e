// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Whether the store answers, within {@link #ANSWER_WITHIN_MS} whatever the store does. One ping
 * runs at a time, on its own thread, and its answer serves every probe for
 * {@link #FRESH_FOR_MS}: a database that hangs costs one waiting thread, not one per probe, and
 * a load balancer polling {@code /readyz} never piles requests onto a sick store.
 */
final class ReadinessProbe {
    static final long ANSWER_WITHIN_MS = 1_000;
    static final long FRESH_FOR_MS = 1_000;

    private final BooleanSupplier ping;
    private final Executor executor = runnable -> {
        Thread t = new Thread(runnable, "servitor-readiness-ping");
        t.setDaemon(true);
        t.start();
    };
    private CompletableFuture<Boolean> latest;
    private long latestStartedAt;

    ReadinessProbe(BooleanSupplier ping) {
        this.ping = ping;
    }

    boolean ready() {
        try {
            return current().get(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized CompletableFuture<Boolean> current() {
        long now = System.nanoTime();
        boolean stale = latest == null || (latest.isDone() && now - latestStartedAt > FRESH_FOR_MS * 1_000_000);
        if (stale) {
            latestStartedAt = now;
            latest = CompletableFuture.supplyAsync(ping::getAsBoolean, executor);
        }
        return latest;
    }
}
