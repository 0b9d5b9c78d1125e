// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import dev.servitor.caller.OwnerKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The scheduler's view of {@code api_keys} and its table {@code key_notices}: which key was
 * announced as expiring, expired or dormant. Candidates are claimed like due deliveries: on
 * PostgreSQL with {@code FOR UPDATE SKIP LOCKED}, so concurrent nodes take different keys.
 */
public interface KeyNoticeStore {
    /** A live key of an enabled owner that may need a notice. */
    record Candidate(String keyId, String orgId, OwnerKind ownerKind, String ownerName, String name, Instant createdAt,
                     Instant expiresAt, Instant lastUsedAt) {}

    /**
     * Keys not revoked (nor retiring) whose {@code expires_at} lies in ({@code after}, {@code until}],
     * created more than {@code lead} before it, of an enabled owner, without a notice of {@code kind};
     * at most {@code limit}, locked for this transaction.
     */
    List<Candidate> claimExpiring(String kind, Instant after, Instant until, Duration lead, int limit);

    /**
     * Live keys of {@code orgId} (of an enabled owner) last used, or if never used created, at or before
     * {@code unusedSince}, without a notice of {@code kind}; at most {@code limit}, locked for this transaction.
     */
    List<Candidate> claimUnused(String orgId, String kind, Instant unusedSince, Instant now, int limit);

    /** Organizations that have keys not revoked. */
    List<String> orgsWithLiveKeys();

    /** Records that {@code keyId} was announced as {@code kind}; false if it already was (by any node). */
    boolean record(String keyId, String kind, String orgId, Instant at);
}
