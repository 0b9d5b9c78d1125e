// SPDX-License-Identifier: Apache-2.0
package dev.servitor.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it, so expiry and grace periods are tested
 * without sleeping. Thread-safe: services read it from any thread.
 */
public final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** A clock at a fixed, round instant, so test failures print readable times. */
    public static MutableClock atDefaultStart() {
        return new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    }

    public void advance(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("time only moves forward in these tests: " + d);
        now.updateAndGet(t -> t.plus(d));
    }

    public void advanceSeconds(long seconds) {
        advance(Duration.ofSeconds(seconds));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("always UTC");
    }
}
