// SPDX-License-Identifier: Apache-2.0
package dev.servitor.oauthclient;

import java.time.Instant;

/**
 * The OAuth client secret of a service account (whose id is the client id). Kept in hashed
 * format and not recoverable once lost; {@code revokedAt} may lie in the future during the
 * grace period after a replacement.
 */
public record ClientSecret(String id, String orgId, String serviceAccountId, String prefix, Instant createdAt,
                           Instant revokedAt, String createdBy) {
    public boolean isLiveAt(Instant now) {
        return revokedAt == null || now.isBefore(revokedAt);
    }
}
