// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import java.util.Arrays;

/**
 * A sliding window of one key's rate limit, counted in slots of a tenth of the period: the
 * counts of the last {@link #SLOTS} slots, the newest being the current one. A use (or a lease
 * of uses) is admitted only while the eleven slots hold fewer than the limit. Any span of one
 * period lies within eleven consecutive slots, so no span of one period ever holds more than the
 * limit; the price is that a steady stream gets the limit per 1.1 periods, not per period.
 * Not thread-safe: its owner locks it (a node's memory) or compares-and-sets it (the store).
 */
public final class SlotWindow {
    /** Slots per period. */
    public static final int SLOTS_PER_PERIOD = 10;
    /** Slots counted: a period's worth, plus the one a span of one period may begin in. */
    public static final int SLOTS = SLOTS_PER_PERIOD + 1;

    private final int periodSeconds;
    private long slot;
    private final long[] counts;

    private SlotWindow(int periodSeconds, long slot, long[] counts) {
        if (counts.length != SLOTS) throw new IllegalArgumentException("a window has " + SLOTS + " slots");
        this.periodSeconds = periodSeconds;
        this.slot = slot;
        this.counts = counts;
    }

    public static SlotWindow empty(int periodSeconds, long slot) {
        return new SlotWindow(periodSeconds, slot, new long[SLOTS]);
    }

    /** A window as stored: {@code counts} oldest first, the last being {@code slot}'s. */
    public static SlotWindow of(int periodSeconds, long slot, long[] counts) {
        return new SlotWindow(periodSeconds, slot, counts.clone());
    }

    /** Slot length in milliseconds: a tenth of the period. */
    public static long slotMillis(int periodSeconds) {
        return periodSeconds * 1000L / SLOTS_PER_PERIOD;
    }

    public static long slotAt(int periodSeconds, long epochMillis) {
        return Math.floorDiv(epochMillis, slotMillis(periodSeconds));
    }

    public int periodSeconds() { return periodSeconds; }
    public long slot() { return slot; }
    public long[] counts() { return counts.clone(); }

    /** Moves the window forward to {@code to} (never back: a slot already passed stays counted). */
    public void advanceTo(long to) {
        if (to <= slot) return;
        long shift = to - slot;
        if (shift >= SLOTS) {
            Arrays.fill(counts, 0);
        } else {
            int s = (int) shift;
            System.arraycopy(counts, s, counts, 0, SLOTS - s);
            Arrays.fill(counts, SLOTS - s, SLOTS, 0);
        }
        slot = to;
    }

    public long used() {
        long sum = 0;
        for (long c : counts) sum += c;
        return sum;
    }

    /** How many more uses the window admits now. */
    public long available(long limit) {
        return Math.max(0, limit - used());
    }

    /** Counts up to {@code wanted} uses in the current slot, as many as the limit allows; how many were counted. */
    public long take(long limit, long wanted) {
        long granted = Math.min(wanted, available(limit));
        counts[SLOTS - 1] += granted;
        return granted;
    }

    /** Uncounts {@code n} uses counted in slot {@code at}, if it is still in the window (an unused lease, a use given back). */
    public void giveBack(long at, long n) {
        long index = at - (slot - SLOTS + 1);
        if (index < 0 || index >= SLOTS) return;
        counts[(int) index] = Math.max(0, counts[(int) index] - n);
    }

    /**
     * When (epoch millis) the window admits a use again if nothing more is counted: the start of
     * the first slot at which the slots still counted then hold fewer than the limit.
     */
    public long freesAtMillis(long limit) {
        long remaining = used();
        long at = slot;
        // counts[i] leaves the window when slot + 1 + i begins
        for (int i = 0; i < SLOTS && remaining >= limit; i++) {
            remaining -= counts[i];
            at = slot + 1 + i;
        }
        return at * slotMillis(periodSeconds);
    }

    /** Seconds from {@code nowMillis} until {@link #freesAtMillis}, rounded up, at least 1. */
    public long retryAfterSeconds(long limit, long nowMillis) {
        return secondsUntil(freesAtMillis(limit), nowMillis);
    }

    static long secondsUntil(long atMillis, long nowMillis) {
        return Math.max(1, (atMillis - nowMillis + 999) / 1000);
    }
}
