// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.util.Map;

/**
 * The answer of {@code POST /v1/verify} (docs/api.md, "Verification"). {@code valid} is true only with {@code code}
 * {@link #VALID}; the other codes are {@link #NOT_FOUND}, {@link #EXPIRED}, {@link #REVOKED}, {@link #DISABLED},
 * {@link #IP_NOT_ALLOWED}, {@link #FORBIDDEN}, {@link #NETWORK_POLICY_REQUIRED}, {@link #RATE_LIMITED} and
 * {@link #USAGE_EXCEEDED}; a code this SDK does not know yet is passed through as the server wrote it.
 *
 * <ul>
 *   <li>{@code identity}: present when the credential was recognised (also for most refusals, e.g. FORBIDDEN);
 *       its {@code credential().federation()} names the workload for an access token obtained by federation.</li>
 *   <li>{@code retryAfterSeconds}: with {@link #RATE_LIMITED}, the seconds until the key's rate limit admits a use
 *       again; else null.</li>
 *   <li>{@code remaining}: for a key with {@code remaining_uses}, the uses left after this one (0 with
 *       {@link #USAGE_EXCEEDED}); null when the key is not metered or the use was not counted.</li>
 *   <li>{@code restrictions}: the API key's per-key restrictions when it has any (also on refusals), else null.</li>
 *   <li>{@code json}: the whole answer as the server sent it.</li>
 * </ul>
 */
public record Verification(boolean valid, String code, Identity identity, Long retryAfterSeconds, Long remaining,
                           KeyRestrictions restrictions, Map<String, Object> json) {
    public static final String VALID = "VALID";
    /** Unknown or malformed credential. */
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String EXPIRED = "EXPIRED";
    public static final String REVOKED = "REVOKED";
    /** The owner (service account or user) is disabled. */
    public static final String DISABLED = "DISABLED";
    /** A network policy or the key's {@code allowed_ips} refuses the address. */
    public static final String IP_NOT_ALLOWED = "IP_NOT_ALLOWED";
    /** The credential does not hold the {@code permission} asked. */
    public static final String FORBIDDEN = "FORBIDDEN";
    /** The organization requires a network policy and none applies to the service account. */
    public static final String NETWORK_POLICY_REQUIRED = "NETWORK_POLICY_REQUIRED";
    /** The key's rate limit is reached: see {@link #retryAfterSeconds()}. */
    public static final String RATE_LIMITED = "RATE_LIMITED";
    /** The key's remaining uses are spent ({@link #remaining()} 0); only a refill or a PATCH grants more. */
    public static final String USAGE_EXCEEDED = "USAGE_EXCEEDED";

    /** The answer with only its verdict and identity (no per-key restrictions): the shape before those existed. */
    public Verification(boolean valid, String code, Identity identity) {
        this(valid, code, identity, null, null, null, Map.of());
    }

    public Verification {
        json = json == null ? Map.of() : json;
    }

    /**
     * Whether the server counted (or would count) this use of the credential: it has remaining uses, or restrictions
     * that count uses ({@link KeyRestrictions#counted()}). A gateway that caches answers must not reuse such an
     * answer, or the uses it serves from its cache would go uncounted.
     */
    public boolean metered() {
        return remaining != null || (restrictions != null && restrictions.counted());
    }

    static Verification of(Map<String, Object> o) {
        Identity identity = o.get("principal") == null ? null : Identity.of(o);
        return new Verification(Json.bool(o, "valid"), Json.string(o, "code"), identity, Json.number(o, "retry_after_seconds"),
            Json.number(o, "remaining"), KeyRestrictions.of(Json.object(o, "restrictions")), Json.frozen(o));
    }
}
