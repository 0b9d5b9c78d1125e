// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

import dev.servitor.caller.OwnerKind;
import java.time.Instant;

/**
 * A long-lived API key of a service account or a user. The secret itself is never part of
 * this record: it is kept in hashed format and is not recoverable once lost.
 * {@code revokedAt} may lie in the future while a rotated key is in its grace period.
 * {@code restrictions} is never null ({@link KeyRestrictions#NONE}: the owner's whole power).
 */
public record ApiKey(String id, String orgId, OwnerKind ownerKind, String ownerId, String name, String description,
                     KeyType type, String prefix, Instant createdAt, Instant expiresAt, Instant revokedAt,
                     Instant lastUsedAt, String lastUsedIp, String createdBy, KeyRestrictions restrictions) {

    public ApiKey {
        if (restrictions == null) restrictions = KeyRestrictions.NONE;
    }

    public ApiKey withRestrictions(KeyRestrictions r) {
        return new ApiKey(id, orgId, ownerKind, ownerId, name, description, type, prefix, createdAt, expiresAt, revokedAt,
            lastUsedAt, lastUsedIp, createdBy, r);
    }

    public boolean isRevokedAt(Instant now) {
        return revokedAt != null && !now.isBefore(revokedAt);
    }

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public boolean isLiveAt(Instant now) {
        return !isRevokedAt(now) && !isExpiredAt(now);
    }
}
