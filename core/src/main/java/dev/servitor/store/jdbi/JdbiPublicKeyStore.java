// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.publickey.PublicKey;
import dev.servitor.publickey.PublicKeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

final class JdbiPublicKeyStore implements PublicKeyStore {
    private static final String COLUMNS = "service_account_id, kid, org_id, kty, alg, public_jwk, created_at, created_by, last_used_at";
    private static final String INSERT = """
        INSERT INTO public_keys (service_account_id, kid, org_id, kty, alg, public_jwk, created_at, created_by)
        VALUES (:saId, :kid, :orgId, :kty, :alg, :jwk, :createdAt, :createdBy)""";
    private static final String LIST = "SELECT " + COLUMNS + " FROM public_keys WHERE service_account_id = :saId ORDER BY created_at, kid";
    private static final String FIND = "SELECT " + COLUMNS + " FROM public_keys WHERE service_account_id = :saId AND kid = :kid";
    private static final String DELETE = "DELETE FROM public_keys WHERE service_account_id = :saId AND kid = :kid";
    /** Never moves backwards: two nodes recording uses out of order keep the later. */
    private static final String TOUCH = """
        UPDATE public_keys SET last_used_at = :at
        WHERE service_account_id = :saId AND kid = :kid AND (last_used_at IS NULL OR last_used_at < :at)""";

    private static final RowMapper<PublicKey> MAPPER = (rs, ctx) -> new PublicKey(rs.getString("service_account_id"),
        rs.getString("kid"), rs.getString("org_id"), rs.getString("kty"), rs.getString("alg"), rs.getString("public_jwk"),
        Rows.instant(rs, "created_at"), rs.getString("created_by"), Rows.instant(rs, "last_used_at"));

    private final Handle h;

    JdbiPublicKeyStore(Handle h) {
        this.h = h;
    }

    @Override
    public boolean insert(PublicKey k) {
        try {
            h.createUpdate(INSERT).bind("saId", k.serviceAccountId()).bind("kid", k.kid()).bind("orgId", k.orgId())
                .bind("kty", k.kty()).bind("alg", k.alg()).bind("jwk", k.publicJwk()).bind("createdAt", Rows.millis(k.createdAt()))
                .bind("createdBy", k.createdBy()).execute();
            return true;
        } catch (UnableToExecuteStatementException e) {
            if (Rows.isUniqueViolation(e)) return false;
            throw e;
        }
    }

    @Override
    public List<PublicKey> listFor(String serviceAccountId) {
        return h.createQuery(LIST).bind("saId", serviceAccountId).map(MAPPER).list();
    }

    @Override
    public Optional<PublicKey> find(String serviceAccountId, String kid) {
        return h.createQuery(FIND).bind("saId", serviceAccountId).bind("kid", kid).map(MAPPER).findOne();
    }

    @Override
    public boolean delete(String serviceAccountId, String kid) {
        return h.createUpdate(DELETE).bind("saId", serviceAccountId).bind("kid", kid).execute() == 1;
    }

    @Override
    public void touch(String serviceAccountId, String kid, Instant usedAt) {
        h.createUpdate(TOUCH).bind("saId", serviceAccountId).bind("kid", kid).bind("at", Rows.millis(usedAt)).execute();
    }
}
