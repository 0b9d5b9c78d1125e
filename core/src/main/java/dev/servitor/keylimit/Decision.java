// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

/**
 * Whether one use of a key is admitted. {@code retryAfterSeconds} is set when rate-limited;
 * {@code remaining} is the key's uses left after this one (null when the key has no credits).
 */
public record Decision(Outcome outcome, Long retryAfterSeconds, Long remaining) {
    public enum Outcome { VALID, RATE_LIMITED, USAGE_EXCEEDED }

    /** An admitted use of a key without credits. */
    public static final Decision UNLIMITED = new Decision(Outcome.VALID, null, null);

    public static Decision valid(Long remaining) {
        return remaining == null ? UNLIMITED : new Decision(Outcome.VALID, null, remaining);
    }

    public static Decision rateLimited(long retryAfterSeconds) {
        return new Decision(Outcome.RATE_LIMITED, retryAfterSeconds, null);
    }

    public static Decision usageExceeded() {
        return new Decision(Outcome.USAGE_EXCEEDED, null, 0L);
    }

    public boolean admitted() {
        return outcome == Outcome.VALID;
    }
}
