// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An API key's per-key restrictions as the server reports them (docs/api.md, "Per-key restrictions"). Every member is
 * optional and null when the key does not set it: {@code permissions} null means the owner's whole power, while an
 * empty list is a key that holds no permission. {@code json} is the object as the server sent it, members this SDK
 * does not know included.
 */
public record KeyRestrictions(List<String> permissions, List<String> allowedIps, RateLimit rateLimit, Long remainingUses,
                              Refill refill, Map<String, Object> json) {
    /** At most {@code limit} accepted uses in any {@code periodSeconds}. */
    public record RateLimit(long limit, long periodSeconds) {}

    /** Every {@code interval} ({@code day} or {@code month}) the remaining uses are set back to {@code amount}. */
    public record Refill(long amount, String interval) {}

    /**
     * Whether the server counts each accepted use of such a key: a rate limit, a number of uses, or a member this SDK
     * does not know (it might count too). Only {@code permissions} and {@code allowed_ips} are known to count nothing.
     */
    public boolean counted() {
        for (Map.Entry<String, Object> e : json.entrySet()) {
            if (e.getValue() != null && !e.getKey().equals("permissions") && !e.getKey().equals("allowed_ips")) return true;
        }
        return false;
    }

    static KeyRestrictions of(Map<String, Object> o) {
        if (o == null) return null;
        Map<String, Object> rate = Json.object(o, "rate_limit");
        Map<String, Object> refill = Json.object(o, "refill");
        return new KeyRestrictions(optionalStrings(o, "permissions"), optionalStrings(o, "allowed_ips"),
            rate == null ? null : new RateLimit(orZero(Json.number(rate, "limit")), orZero(Json.number(rate, "period_seconds"))),
            Json.number(o, "remaining_uses"),
            refill == null ? null : new Refill(orZero(Json.number(refill, "amount")), Json.string(refill, "interval")),
            Json.frozen(o));
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }

    /** Unlike {@link Json#strings}, tells an absent list (null) from an empty one. */
    private static List<String> optionalStrings(Map<String, Object> o, String key) {
        if (!(o.get(key) instanceof List<?> l)) return null;
        List<String> out = new ArrayList<>();
        for (Object x : l) out.add(x == null ? null : x.toString());
        return Collections.unmodifiableList(out);
    }
}
