// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import dev.servitor.apikey.KeyRestrictions.Refill;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Which refill period an instant falls in, counted from the key's creation: period n begins
 * n days (or n calendar months, in UTC) after it. A month from the 31st ends on the last day of a
 * shorter month, as {@link ZonedDateTime#plusMonths} has it.
 */
final class RefillSchedule {
    private RefillSchedule() {}

    /** The period of {@code now}; 0 without a refill (so a stored count never refills). */
    static long periodAt(Refill refill, Instant createdAt, Instant now) {
        if (refill == null || now.isBefore(createdAt)) return 0;
        return switch (refill.interval()) {
            case DAY -> Duration.between(createdAt, now).toDays();
            case MONTH -> months(createdAt, now);
        };
    }

    /** When period {@code n} begins. */
    static Instant periodStart(Refill refill, Instant createdAt, long n) {
        return switch (refill.interval()) {
            case DAY -> createdAt.plus(Duration.ofDays(n));
            case MONTH -> createdAt.atZone(ZoneOffset.UTC).plusMonths(n).toInstant();
        };
    }

    private static long months(Instant createdAt, Instant now) {
        ZonedDateTime from = createdAt.atZone(ZoneOffset.UTC);
        ZonedDateTime to = now.atZone(ZoneOffset.UTC);
        long n = ChronoUnit.MONTHS.between(from, to);
        // between() counts Jan 31 -> Feb 28 as no month, while plusMonths(1) of Jan 31 is Feb 28: follow plusMonths
        while (!from.plusMonths(n + 1).isAfter(to)) n++;
        return n;
    }
}
