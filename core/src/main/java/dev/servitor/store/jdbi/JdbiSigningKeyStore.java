// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.token.SigningKeyStore;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

final class JdbiSigningKeyStore implements SigningKeyStore {
    private static final String SIGNING_KEY_INSERT = """
        INSERT INTO signing_keys (kid, algorithm, public_jwk, private_key_enc, created_at)
        VALUES (:kid, :alg, :pub, :priv, :createdAt)""";
    private static final String SIGNING_KEY_LIST_USABLE = """
        SELECT kid, algorithm, public_jwk, private_key_enc, created_at, retired_at FROM signing_keys
        WHERE retired_at IS NULL OR retired_at > :after ORDER BY created_at DESC, kid""";
    private static final String SIGNING_KEY_RETIRE_CURRENT = "UPDATE signing_keys SET retired_at = :at WHERE retired_at IS NULL";

    private final Handle h;

    JdbiSigningKeyStore(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(Row r) {
        h.createUpdate(SIGNING_KEY_INSERT).bind("kid", r.kid()).bind("alg", r.algorithm()).bind("pub", r.publicJwk())
            .bind("priv", r.privateKeyEncrypted()).bind("createdAt", Rows.millis(r.createdAt())).execute();
    }

    @Override
    public List<Row> listUsable(Instant retiredAfter) {
        return h.createQuery(SIGNING_KEY_LIST_USABLE).bind("after", retiredAfter.toEpochMilli())
            .map((rs, ctx) -> new Row(rs.getString("kid"), rs.getString("algorithm"), rs.getString("public_jwk"),
                rs.getString("private_key_enc"), Rows.instant(rs, "created_at"), Rows.instant(rs, "retired_at")))
            .list();
    }

    @Override
    public void retireCurrent(Instant at) {
        h.createUpdate(SIGNING_KEY_RETIRE_CURRENT).bind("at", at.toEpochMilli()).execute();
    }
}
