// SPDX-License-Identifier: Apache-2.0
package dev.servitor.user;

import java.time.Instant;

/** A console session of a human user; its cookie value is kept only as a hash. */
public record Session(String id, String orgId, String userId, Instant createdAt, Instant expiresAt, Instant revokedAt) {
    public boolean isLiveAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
