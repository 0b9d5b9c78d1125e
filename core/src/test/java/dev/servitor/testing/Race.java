// SPDX-License-Identifier: Apache-2.0
package dev.servitor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs many copies of one command at once: every worker thread waits at a start gate, so the
 * calls really overlap. An exception a task does not turn into a result fails the test.
 */
public final class Race {
    @FunctionalInterface
    public interface Task<T> {
        T run(int index) throws Exception;
    }

    private Race() {}

    public static <T> List<T> run(int threads, int attempts, Task<T> task) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(Math.min(threads, attempts));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    if (index < threads) ready.countDown();
                    go.await();
                    return task.run(index);
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all threads at the start gate").isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError("a racing call failed unexpectedly", e.getCause());
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("a racing call did not finish within 60 s", e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
