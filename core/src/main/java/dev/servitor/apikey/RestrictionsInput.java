// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

import dev.servitor.caller.Permissions;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.network.IpRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Restrictions as a caller sent them (REST, SQL, the CLI through REST), not yet checked. Every
 * interface builds one and {@link #validate} checks it the same way, naming the field at fault
 * ({@code restrictions.allowed_ips[1]}, {@code restrictions.rate_limit.period_seconds}). For a
 * {@code PATCH}, {@code present} names the members the caller sent (a member sent as null is
 * cleared, one not sent is kept); see {@link #over}.
 */
public record RestrictionsInput(List<String> permissions, List<String> allowedIps, Rate rateLimit, Long remainingUses,
                                RefillInput refill, Set<String> present) {
    public static final String FIELD = "restrictions";
    public static final long MAX_RATE_LIMIT = 1_000_000;
    public static final long MAX_PERIOD_SECONDS = 86_400;
    public static final long MAX_REMAINING_USES = 1_000_000_000_000L;
    public static final int MAX_PERMISSIONS = 100;
    /** The members of {@code restrictions}, as docs/api.md names them. */
    public static final Set<String> MEMBERS = Set.of("permissions", "allowed_ips", "rate_limit", "remaining_uses", "refill");

    public record Rate(Long limit, Long periodSeconds) {}

    public record RefillInput(Long amount, String interval) {}

    /** Every member counts as sent (creation, SQL). */
    public RestrictionsInput(List<String> permissions, List<String> allowedIps, Rate rateLimit, Long remainingUses, RefillInput refill) {
        this(permissions, allowedIps, rateLimit, remainingUses, refill, MEMBERS);
    }

    /** This input laid over {@code current}: members sent replace (null clears), members not sent are kept. */
    public RestrictionsInput over(KeyRestrictions current) {
        KeyRestrictions c = current == null ? KeyRestrictions.NONE : current;
        return new RestrictionsInput(
            present.contains("permissions") ? permissions : c.permissions(),
            present.contains("allowed_ips") ? allowedIps : c.allowedIps(),
            present.contains("rate_limit") ? rateLimit
                : c.rateLimit() == null ? null : new Rate((long) c.rateLimit().limit(), (long) c.rateLimit().periodSeconds()),
            present.contains("remaining_uses") ? remainingUses : c.remainingUses(),
            present.contains("refill") ? refill
                : c.refill() == null ? null : new RefillInput(c.refill().amount(), c.refill().interval().wire()),
            MEMBERS);
    }

    /** The checked restrictions (422 naming the field otherwise); nothing set is {@link KeyRestrictions#NONE}. */
    public KeyRestrictions validate() {
        List<String> perms = permissions == null ? null : validPermissions(permissions);
        List<String> ips = null;
        if (allowedIps != null) {
            if (allowedIps.isEmpty()) {
                throw ServiceException.field(ErrorCode.INVALID_VALUE, FIELD + ".allowed_ips",
                    "'" + FIELD + ".allowed_ips' must list at least one address or CIDR; leave it out to allow every address");
            }
            ips = IpRules.validate(FIELD + ".allowed_ips", allowedIps);
        }
        KeyRestrictions.RateLimit rate = null;
        if (rateLimit != null) {
            long limit = required(rateLimit.limit(), "rate_limit.limit");
            long period = required(rateLimit.periodSeconds(), "rate_limit.period_seconds");
            range(limit, 1, MAX_RATE_LIMIT, "rate_limit.limit");
            range(period, 1, MAX_PERIOD_SECONDS, "rate_limit.period_seconds");
            rate = new KeyRestrictions.RateLimit((int) limit, (int) period);
        }
        if (remainingUses != null) range(remainingUses, 0, MAX_REMAINING_USES, "remaining_uses");
        KeyRestrictions.Refill ref = null;
        if (refill != null) {
            if (remainingUses == null) {
                throw ServiceException.field(ErrorCode.INVALID_VALUE, FIELD + ".refill",
                    "'" + FIELD + ".refill' needs '" + FIELD + ".remaining_uses'");
            }
            long amount = required(refill.amount(), "refill.amount");
            range(amount, 1, MAX_REMAINING_USES, "refill.amount");
            if (refill.interval() == null) {
                throw ServiceException.field(ErrorCode.MISSING_FIELD, FIELD + ".refill.interval",
                    "'" + FIELD + ".refill.interval' is required");
            }
            KeyRestrictions.Refill.Interval interval = KeyRestrictions.Refill.Interval.fromWire(refill.interval());
            if (interval == null) {
                throw ServiceException.field(ErrorCode.INVALID_VALUE, FIELD + ".refill.interval",
                    "'" + FIELD + ".refill.interval' must be day or month");
            }
            ref = new KeyRestrictions.Refill(amount, interval);
        }
        KeyRestrictions out = new KeyRestrictions(perms, ips, rate, remainingUses, ref);
        return out.isNone() ? KeyRestrictions.NONE : out;
    }

    /**
     * Permission names as a role may list them (wildcards included). A key may name a permission
     * its owner lacks: its effective set is the intersection with the owner's at every request,
     * so such a name grants nothing until the owner gains it (docs/api.md).
     */
    private static List<String> validPermissions(List<String> permissions) {
        if (permissions.size() > MAX_PERMISSIONS) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, FIELD + ".permissions",
                "'" + FIELD + ".permissions' may hold at most " + MAX_PERMISSIONS + " entries");
        }
        List<String> out = new ArrayList<>(permissions.size());
        for (int i = 0; i < permissions.size(); i++) {
            String p = permissions.get(i);
            String field = FIELD + ".permissions[" + i + "]";
            if (!Permissions.isValid(p)) {
                throw ServiceException.field(ErrorCode.INVALID_VALUE, field,
                    "'" + field + "' must be a permission name: 1-128 of A-Z a-z 0-9 _ . : * -");
            }
            if (!out.contains(p)) out.add(p);
        }
        return out;
    }

    private static long required(Long value, String member) {
        if (value == null) {
            throw ServiceException.field(ErrorCode.MISSING_FIELD, FIELD + "." + member, "'" + FIELD + "." + member + "' is required");
        }
        return value;
    }

    private static void range(long value, long min, long max, String member) {
        if (value < min || value > max) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, FIELD + "." + member,
                "'" + FIELD + "." + member + "' must be between " + min + " and " + max);
        }
    }
}
