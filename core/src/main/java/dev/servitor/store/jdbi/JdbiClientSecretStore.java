// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.oauthclient.ClientSecret;
import dev.servitor.oauthclient.ClientSecretStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiClientSecretStore implements ClientSecretStore {
    private static final String SECRET_COLUMNS = "id, org_id, service_account_id, prefix, created_at, revoked_at, created_by";
    private static final String SECRET_INSERT = """
        INSERT INTO client_secrets (id, org_id, service_account_id, prefix, secret_hash, created_at, created_by)
        VALUES (:id, :orgId, :saId, :prefix, :hash, :createdAt, :createdBy)""";
    private static final String SECRET_FIND_BY_HASH = "SELECT " + SECRET_COLUMNS + " FROM client_secrets WHERE secret_hash = :hash";
    private static final String SECRET_FIND_BY_ID = "SELECT " + SECRET_COLUMNS + " FROM client_secrets WHERE id = :id";
    private static final String SECRET_IDS_TO_REVOKE_BY_ACCOUNT =
        "SELECT id FROM client_secrets WHERE service_account_id = :saId AND (revoked_at IS NULL OR revoked_at > :at)";
    private static final String SECRET_REVOKE_BY_ACCOUNT =
        "UPDATE client_secrets SET revoked_at = :at WHERE service_account_id = :saId AND (revoked_at IS NULL OR revoked_at > :at)";

    private static final RowMapper<ClientSecret> MAPPER = (rs, ctx) -> new ClientSecret(rs.getString("id"),
        rs.getString("org_id"), rs.getString("service_account_id"), rs.getString("prefix"), Rows.instant(rs, "created_at"),
        Rows.instant(rs, "revoked_at"), rs.getString("created_by"));

    private final Handle h;

    JdbiClientSecretStore(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(ClientSecret s, String secretHash) {
        h.createUpdate(SECRET_INSERT).bind("id", s.id()).bind("orgId", s.orgId()).bind("saId", s.serviceAccountId())
            .bind("prefix", s.prefix()).bind("hash", secretHash).bind("createdAt", Rows.millis(s.createdAt()))
            .bind("createdBy", s.createdBy()).execute();
    }

    @Override
    public Optional<ClientSecret> findByHash(String secretHash) {
        return h.createQuery(SECRET_FIND_BY_HASH).bind("hash", secretHash).map(MAPPER).findOne();
    }

    @Override
    public Optional<ClientSecret> findById(String id) {
        return h.createQuery(SECRET_FIND_BY_ID).bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public List<String> revokeAllOf(String serviceAccountId, Instant at) {
        List<String> ids = h.createQuery(SECRET_IDS_TO_REVOKE_BY_ACCOUNT).bind("saId", serviceAccountId)
            .bind("at", at.toEpochMilli()).mapTo(String.class).list();
        h.createUpdate(SECRET_REVOKE_BY_ACCOUNT).bind("saId", serviceAccountId).bind("at", at.toEpochMilli()).execute();
        return ids;
    }
}
