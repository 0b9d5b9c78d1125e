// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

import java.time.Instant;

/** Rows of {@code revoked_tokens}. */
public interface RevokedTokenStore {
    /** Records the revocation; revoking twice is harmless. */
    void insert(String jti, String orgId, Instant expiresAt, Instant revokedAt);
    boolean isRevoked(String jti);
    int deleteExpired(Instant now);
}
