// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

import java.util.List;

/**
 * What one API key may do, beyond its owner's roles (docs/api.md "Per-key restrictions"); every
 * part is optional (null: not restricted). {@code permissions} narrows the owner's permissions
 * (intersected at every use), {@code allowedIps} lists addresses or CIDRs, {@code rateLimit}
 * bounds uses per period, {@code remainingUses} is the number of uses granted at creation (or at
 * the last change), topped up by {@code refill}.
 */
public record KeyRestrictions(List<String> permissions, List<String> allowedIps, RateLimit rateLimit, Long remainingUses,
                              Refill refill) {
    public static final KeyRestrictions NONE = new KeyRestrictions(null, null, null, null, null);

    /** At most {@code limit} accepted uses in any {@code periodSeconds}. */
    public record RateLimit(int limit, int periodSeconds) {}

    /** Every {@code interval} (from the key's creation) the remaining uses are set back to {@code amount}. */
    public record Refill(long amount, Interval interval) {
        public enum Interval { DAY, MONTH }
    }

    public boolean isNone() {
        return permissions == null && allowedIps == null && rateLimit == null && remainingUses == null;
    }
}
