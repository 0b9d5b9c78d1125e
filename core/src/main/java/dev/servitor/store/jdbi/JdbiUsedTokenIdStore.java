// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.token.UsedTokenIdStore;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

final class JdbiUsedTokenIdStore implements UsedTokenIdStore {
    private static final String CLAIM = """
        INSERT INTO used_token_ids (issuer, jti, expires_at, used_at) VALUES (:issuer, :jti, :expiresAt, :usedAt)
        ON CONFLICT (issuer, jti) DO NOTHING""";
    private static final String DELETE_EXPIRED = "DELETE FROM used_token_ids WHERE expires_at < :now";

    private final Handle h;

    JdbiUsedTokenIdStore(Handle h) {
        this.h = h;
    }

    @Override
    public boolean claim(String issuer, String jti, Instant expiresAt, Instant now) {
        return h.createUpdate(CLAIM).bind("issuer", issuer).bind("jti", jti).bind("expiresAt", Rows.millis(expiresAt))
            .bind("usedAt", Rows.millis(now)).execute() == 1;
    }

    @Override
    public int deleteExpired(Instant now) {
        return h.createUpdate(DELETE_EXPIRED).bind("now", Rows.millis(now)).execute();
    }
}
