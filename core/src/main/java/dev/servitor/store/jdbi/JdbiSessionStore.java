// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.user.Session;
import dev.servitor.user.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiSessionStore implements SessionStore {
    private static final String SESSION_INSERT = """
        INSERT INTO sessions (id, org_id, user_id, token_hash, created_at, expires_at)
        VALUES (:id, :orgId, :userId, :hash, :createdAt, :expiresAt)""";
    private static final String SESSION_FIND_BY_HASH =
        "SELECT id, org_id, user_id, created_at, expires_at, revoked_at FROM sessions WHERE token_hash = :hash";
    private static final String SESSION_REVOKE = "UPDATE sessions SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL";
    private static final String SESSION_HASHES_LIVE_BY_USER = "SELECT token_hash FROM sessions WHERE user_id = :userId AND revoked_at IS NULL";
    private static final String SESSION_REVOKE_BY_USER = "UPDATE sessions SET revoked_at = :at WHERE user_id = :userId AND revoked_at IS NULL";
    private static final String SESSION_HASHES_LIVE_BY_USER_BUT =
        "SELECT token_hash FROM sessions WHERE user_id = :userId AND revoked_at IS NULL AND id <> :keepId";
    private static final String SESSION_REVOKE_BY_USER_BUT =
        "UPDATE sessions SET revoked_at = :at WHERE user_id = :userId AND revoked_at IS NULL AND id <> :keepId";

    private static final RowMapper<Session> MAPPER = (rs, ctx) -> new Session(rs.getString("id"), rs.getString("org_id"),
        rs.getString("user_id"), Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"), Rows.instant(rs, "revoked_at"));

    private final Handle h;

    JdbiSessionStore(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(Session s, String tokenHash) {
        h.createUpdate(SESSION_INSERT).bind("id", s.id()).bind("orgId", s.orgId()).bind("userId", s.userId()).bind("hash", tokenHash)
            .bind("createdAt", Rows.millis(s.createdAt())).bind("expiresAt", Rows.millis(s.expiresAt())).execute();
    }

    @Override
    public Optional<Session> findByHash(String tokenHash) {
        return h.createQuery(SESSION_FIND_BY_HASH).bind("hash", tokenHash).map(MAPPER).findOne();
    }

    @Override
    public void revoke(String id, Instant at) {
        h.createUpdate(SESSION_REVOKE).bind("id", id).bind("at", at.toEpochMilli()).execute();
    }

    @Override
    public List<String> revokeAllOf(String userId, Instant at) {
        List<String> hashes = h.createQuery(SESSION_HASHES_LIVE_BY_USER).bind("userId", userId).mapTo(String.class).list();
        h.createUpdate(SESSION_REVOKE_BY_USER).bind("userId", userId).bind("at", at.toEpochMilli()).execute();
        return hashes;
    }

    @Override
    public List<String> revokeOthersOf(String userId, String keepId, Instant at) {
        List<String> hashes = h.createQuery(SESSION_HASHES_LIVE_BY_USER_BUT).bind("userId", userId).bind("keepId", keepId)
            .mapTo(String.class).list();
        h.createUpdate(SESSION_REVOKE_BY_USER_BUT).bind("userId", userId).bind("keepId", keepId).bind("at", at.toEpochMilli()).execute();
        return hashes;
    }
}
