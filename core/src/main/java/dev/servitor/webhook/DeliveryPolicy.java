// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: 5 s after the first attempt, then four times longer each
 * time up to 2 h between attempts, each delay spread by ±20 % (so endpoints that failed together do
 * not all come back at once), until the event is {@link #RETRY_FOR} old. An endpoint whose every
 * attempt failed for {@link #DISABLE_AFTER} is disabled.
 */
public final class DeliveryPolicy {
    public static final Duration RETRY_FOR = Duration.ofHours(24);
    public static final Duration DISABLE_AFTER = Duration.ofDays(5);
    /**
     * A claimed delivery belongs to its node this long (three times the call's 10 s deadline, for the
     * outcome's write and a pause); then any node may claim it again. Its webhook-id stays the same.
     */
    public static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration FIRST = Duration.ofSeconds(5);
    static final Duration LONGEST = Duration.ofHours(2);

    private final DoubleSupplier random;

    public DeliveryPolicy(DoubleSupplier random) {
        this.random = random;
    }

    /** The delay after the {@code attempts}-th failed attempt (1 = the first), before jitter. */
    static Duration backoff(int attempts) {
        Duration d = FIRST;
        for (int i = 1; i < attempts && d.compareTo(LONGEST) < 0; i++) d = d.multipliedBy(4);
        return d.compareTo(LONGEST) > 0 ? LONGEST : d;
    }

    /** When to try again after {@code attempts} failed ones, or null when the event is too old to retry. */
    public Instant nextAttempt(int attempts, Instant eventCreated, Instant now) {
        long millis = backoff(attempts).toMillis();
        long jittered = Math.round(millis * (0.8 + 0.4 * random.getAsDouble()));
        Instant next = now.plusMillis(jittered);
        return next.isAfter(eventCreated.plus(RETRY_FOR)) ? null : next;
    }

    /** True once an endpoint failing since {@code failingSince} should be disabled. */
    public boolean shouldDisable(Instant failingSince, Instant now) {
        return failingSince != null && !now.isBefore(failingSince.plus(DISABLE_AFTER));
    }
}
