// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.token.RevokedTokenStore;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

final class JdbiRevokedTokenStore implements RevokedTokenStore {
    private static final String REVOKED_TOKEN_EXISTS = "SELECT COUNT(*) FROM revoked_tokens WHERE jti = :jti";
    private static final String REVOKED_TOKEN_INSERT = """
        INSERT INTO revoked_tokens (jti, org_id, expires_at, revoked_at) VALUES (:jti, :orgId, :expiresAt, :revokedAt)""";
    private static final String REVOKED_TOKEN_DELETE_EXPIRED = "DELETE FROM revoked_tokens WHERE expires_at < :now";

    private final Handle h;

    JdbiRevokedTokenStore(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(String jti, String orgId, Instant expiresAt, Instant revokedAt) {
        if (isRevoked(jti)) return;
        h.createUpdate(REVOKED_TOKEN_INSERT).bind("jti", jti).bind("orgId", orgId).bind("expiresAt", expiresAt.toEpochMilli())
            .bind("revokedAt", revokedAt.toEpochMilli()).execute();
    }

    @Override
    public boolean isRevoked(String jti) {
        return h.createQuery(REVOKED_TOKEN_EXISTS).bind("jti", jti).mapTo(Long.class).one() > 0;
    }

    @Override
    public int deleteExpired(Instant now) {
        return h.createUpdate(REVOKED_TOKEN_DELETE_EXPIRED).bind("now", now.toEpochMilli()).execute();
    }
}
