// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

import com.nimbusds.jose.util.JSONObjectUtils;
import inet.ipaddr.IPAddress;
import dev.servitor.network.IpRules;
import java.text.ParseException;
import dev.servitor.caller.Permissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one API key may do, beyond its owner's roles (docs/api.md "Per-key restrictions"); every
 * part is optional (null: not restricted). {@code permissions} narrows the owner's permissions
 * (intersected at every use), {@code allowedIps} lists addresses or CIDRs, {@code rateLimit}
 * bounds uses per period, {@code remainingUses} is the number of uses granted at creation (or at
 * the last change), topped up by {@code refill}. Instances built by {@link RestrictionsInput#validate}
 * or {@link #fromJson} are valid; the stored form is {@link #toJson}.
 */
public record KeyRestrictions(List<String> permissions, List<String> allowedIps, RateLimit rateLimit, Long remainingUses,
                              Refill refill) {
    public static final KeyRestrictions NONE = new KeyRestrictions(null, null, null, null, null);

    public KeyRestrictions {
        permissions = permissions == null ? null : List.copyOf(permissions);
        allowedIps = allowedIps == null ? null : List.copyOf(allowedIps);
    }

    /** At most {@code limit} accepted uses in any {@code periodSeconds}. */
    public record RateLimit(int limit, int periodSeconds) {}

    /** Every {@code interval} (from the key's creation) the remaining uses are set back to {@code amount}. */
    public record Refill(long amount, Interval interval) {
        public enum Interval {
            DAY, MONTH;

            public String wire() {
                return name().toLowerCase(Locale.ROOT);
            }

            /** The interval named {@code day} or {@code month}, or null. */
            public static Interval fromWire(String s) {
                return "day".equals(s) ? DAY : "month".equals(s) ? MONTH : null;
            }
        }
    }

    public boolean isNone() {
        return permissions == null && allowedIps == null && rateLimit == null && remainingUses == null;
    }

    /** The allowed addresses as blocks for matching, or null when any address is allowed. */
    public List<IPAddress> allowedBlocks() {
        if (allowedIps == null) return null;
        List<IPAddress> out = new ArrayList<>(allowedIps.size());
        for (String e : allowedIps) {
            IPAddress b = IpRules.parseEntry(e);
            if (b != null) out.add(b);
        }
        return List.copyOf(out);
    }

    /**
     * The permissions a key of an owner holding {@code owner} acts with: those both sets hold.
     * Every permission of either set that the other set holds (wildcards answer as
     * {@link Permissions#holds} says) is in it; a pair of wildcards that only overlap
     * ({@code deployments:*} and {@code *:read}) grants nothing, which errs on the side of less.
     * Without a permissions restriction, the owner's own set.
     */
    public Set<String> narrow(Set<String> owner) {
        if (permissions == null) return owner;
        Set<String> out = new HashSet<>();
        Set<String> mine = Set.copyOf(permissions);
        for (String p : permissions) if (Permissions.holds(owner, p)) out.add(p);
        for (String p : owner) if (Permissions.holds(mine, p)) out.add(p);
        return Set.copyOf(out);
    }

    /** The wire shape of docs/api.md: only the parts that are set, snake_case members. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (permissions != null) m.put("permissions", permissions);
        if (allowedIps != null) m.put("allowed_ips", allowedIps);
        if (rateLimit != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("limit", rateLimit.limit());
            r.put("period_seconds", rateLimit.periodSeconds());
            m.put("rate_limit", r);
        }
        if (remainingUses != null) m.put("remaining_uses", remainingUses);
        if (refill != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("amount", refill.amount());
            r.put("interval", refill.interval().wire());
            m.put("refill", r);
        }
        return m;
    }

    /** The stored form (column {@code api_keys.restrictions}): the wire shape as JSON text, or null for {@link #NONE}. */
    public String toJson() {
        return isNone() ? null : JSONObjectUtils.toJSONString(toMap());
    }

    /** Reads what {@link #toJson} wrote; null or blank is {@link #NONE}. */
    public static KeyRestrictions fromJson(String json) {
        if (json == null || json.isBlank()) return NONE;
        try {
            Map<String, Object> m = JSONObjectUtils.parse(json);
            List<String> permissions = JSONObjectUtils.getStringList(m, "permissions");
            List<String> allowedIps = JSONObjectUtils.getStringList(m, "allowed_ips");
            Map<String, Object> r = JSONObjectUtils.getJSONObject(m, "rate_limit");
            RateLimit rate = r == null ? null
                : new RateLimit((int) JSONObjectUtils.getLong(r, "limit"), (int) JSONObjectUtils.getLong(r, "period_seconds"));
            Long remaining = m.get("remaining_uses") == null ? null : JSONObjectUtils.getLong(m, "remaining_uses");
            Map<String, Object> f = JSONObjectUtils.getJSONObject(m, "refill");
            Refill refill = f == null ? null
                : new Refill(JSONObjectUtils.getLong(f, "amount"), Refill.Interval.fromWire(JSONObjectUtils.getString(f, "interval")));
            return new KeyRestrictions(permissions, allowedIps, rate, remaining, refill);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalStateException("unreadable api_keys.restrictions", e);
        }
    }
}
