// SPDX-License-Identifier: Apache-2.0
package dev.servitor.user;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Rows of {@code sessions}. */
public interface SessionStore {
    void insert(Session session, String tokenHash);
    Optional<Session> findByHash(String tokenHash);
    void revoke(String id, Instant at);
    /** Revokes every live session of the user; returns their token hashes. */
    List<String> revokeAllOf(String userId, Instant at);
    /** Revokes every live session of the user but {@code keepId}; returns their token hashes. */
    List<String> revokeOthersOf(String userId, String keepId, Instant at);
}
