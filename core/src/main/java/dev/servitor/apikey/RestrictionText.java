// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The short text forms of a rate limit ({@code 100/60s}, {@code 10/1m}, {@code 5000/1h},
 * {@code 100/1d}) and of a refill ({@code 1000/day}, {@code 1000/month}) that SQL (and the CLI,
 * on its side) accept. Only the shape is read here: ranges are judged by {@link RestrictionsInput#validate}.
 */
public final class RestrictionText {
    private static final Pattern RATE = Pattern.compile("([0-9]{1,12})\\s*/\\s*([0-9]{1,9})?\\s*([smhd])");
    private static final Pattern REFILL = Pattern.compile("([0-9]{1,15})\\s*/\\s*(day|month)");

    private RestrictionText() {}

    /** {@code LIMIT/PERIOD} with the period in s, m, h or d (a missing number is 1: {@code 100/m}); null if malformed. */
    public static RestrictionsInput.Rate rate(String text) {
        Matcher m = RATE.matcher(text.trim().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) return null;
        long count = m.group(2) == null ? 1 : Long.parseLong(m.group(2));
        long unit = switch (m.group(3)) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3600;
            default -> 86400;
        };
        return new RestrictionsInput.Rate(Long.parseLong(m.group(1)), count * unit);
    }

    /** {@code AMOUNT/day} or {@code AMOUNT/month}; null if malformed. */
    public static RestrictionsInput.RefillInput refill(String text) {
        Matcher m = REFILL.matcher(text.trim().toLowerCase(java.util.Locale.ROOT));
        return m.matches() ? new RestrictionsInput.RefillInput(Long.parseLong(m.group(1)), m.group(2)) : null;
    }

    /** The rate limit as {@link #rate} reads it, in seconds ({@code 100/60s}). */
    public static String rate(KeyRestrictions.RateLimit r) {
        return r.limit() + "/" + r.periodSeconds() + "s";
    }
}
