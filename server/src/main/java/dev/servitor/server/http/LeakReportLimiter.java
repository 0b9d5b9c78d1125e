// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Anonymous leak reports per client address: at most {@code perMinute} in a fixed one-minute
 * window. Counted before the body is read, whatever it says, so the limit itself tells nothing
 * about a credential.
 */
final class LeakReportLimiter {
    private static final long WINDOW_MILLIS = 60_000;

    private final int perMinute;
    private final LongSupplier millis;
    private final Cache<String, Window> windows =
        Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMillis(WINDOW_MILLIS)).build();

    LeakReportLimiter(int perMinute, LongSupplier millis) {
        this.perMinute = perMinute;
        this.millis = millis;
    }

    private static final class Window {
        final long start;
        int count;

        Window(long start) {
            this.start = start;
        }
    }

    /** 0 if a report from {@code ip} is allowed now (and counted), else the seconds until it would be. */
    long acquire(String ip) {
        long now = millis.getAsLong();
        String address = ip == null ? "" : ip;
        long[] wait = {0};
        windows.asMap().compute(address, (k, w) -> {
            Window current = w == null || now - w.start >= WINDOW_MILLIS ? new Window(now) : w;
            if (current.count >= perMinute) {
                wait[0] = Math.max(1, (current.start + WINDOW_MILLIS - now + 999) / 1000);
            } else {
                current.count++;
            }
            return current;
        });
        return wait[0];
    }
}
