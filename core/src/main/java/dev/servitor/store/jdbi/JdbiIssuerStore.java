// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.federation.FederationIssuer;
import dev.servitor.federation.IssuerStore;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

final class JdbiIssuerStore implements IssuerStore {
    private static final String FEDERATION_ISSUER_SELECT = """
        SELECT id, org_id, name, issuer_url, jwks_uri, jwks, max_token_age_seconds, require_jti, created_at, updated_at, created_by
        FROM federation_issuers""";
    private static final String FEDERATION_ISSUER_FIND_BY_NAME = FEDERATION_ISSUER_SELECT + " WHERE org_id = :orgId AND name = :name";
    private static final String FEDERATION_ISSUER_FIND_BY_ID = FEDERATION_ISSUER_SELECT + " WHERE id = :id";
    private static final String FEDERATION_ISSUER_LIST_BY_ORG = FEDERATION_ISSUER_SELECT + " WHERE org_id = :orgId";
    private static final String FEDERATION_ISSUER_INSERT = """
        INSERT INTO federation_issuers (id, org_id, name, issuer_url, jwks_uri, jwks, max_token_age_seconds, require_jti,
                                        created_at, updated_at, created_by)
        VALUES (:id, :orgId, :name, :issuerUrl, :jwksUri, :jwks, :maxAge, :requireJti, :createdAt, :updatedAt, :createdBy)""";
    private static final String FEDERATION_ISSUER_UPDATE = """
        UPDATE federation_issuers SET name = :name, issuer_url = :issuerUrl, jwks_uri = :jwksUri, jwks = :jwks,
               max_token_age_seconds = :maxAge, require_jti = :requireJti, updated_at = :updatedAt
        WHERE id = :id""";
    private static final String FEDERATION_ISSUER_DELETE = "DELETE FROM federation_issuers WHERE id = :id";

    private static final RowMapper<FederationIssuer> MAPPER = (rs, ctx) -> new FederationIssuer(rs.getString("id"),
        rs.getString("org_id"), rs.getString("name"), rs.getString("issuer_url"), rs.getString("jwks_uri"), rs.getString("jwks"),
        rs.getLong("max_token_age_seconds"), rs.getBoolean("require_jti"), Rows.instant(rs, "created_at"),
        Rows.instant(rs, "updated_at"), rs.getString("created_by"));

    private final Handle h;

    JdbiIssuerStore(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(FederationIssuer i) {
        try {
            bind(h.createUpdate(FEDERATION_ISSUER_INSERT), i).bind("orgId", i.orgId()).bind("createdAt", Rows.millis(i.createdAt()))
                .bind("createdBy", i.createdBy()).execute();
        } catch (UnableToExecuteStatementException e) {
            throw nameTaken(e, i.name());
        }
    }

    @Override
    public Optional<FederationIssuer> findByName(String orgId, String name) {
        return h.createQuery(FEDERATION_ISSUER_FIND_BY_NAME).bind("orgId", orgId).bind("name", name).map(MAPPER).findOne();
    }

    @Override
    public Optional<FederationIssuer> findById(String id) {
        return h.createQuery(FEDERATION_ISSUER_FIND_BY_ID).bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public List<FederationIssuer> list(String orgId, PageRequest page) {
        StringBuilder sql = new StringBuilder(FEDERATION_ISSUER_LIST_BY_ORG);
        if (page.after() != null) sql.append(" AND name > :after");
        sql.append(" ORDER BY name LIMIT :limit");
        Query q = h.createQuery(sql.toString()).bind("orgId", orgId).bind("limit", page.size() + 1);
        if (page.after() != null) q.bind("after", page.after());
        return q.map(MAPPER).list();
    }

    @Override
    public void update(FederationIssuer i) {
        try {
            bind(h.createUpdate(FEDERATION_ISSUER_UPDATE), i).execute();
        } catch (UnableToExecuteStatementException e) {
            throw nameTaken(e, i.name());
        }
    }

    @Override
    public void delete(String id) {
        h.createUpdate(FEDERATION_ISSUER_DELETE).bind("id", id).execute();
    }

    private static Update bind(Update u, FederationIssuer i) {
        return u.bind("id", i.id()).bind("name", i.name()).bind("issuerUrl", i.issuerUrl()).bind("jwksUri", i.jwksUri())
            .bind("jwks", i.jwks()).bind("maxAge", i.maxTokenAgeSeconds()).bind("requireJti", i.requireJti())
            .bind("updatedAt", Rows.millis(i.updatedAt()));
    }

    private static RuntimeException nameTaken(UnableToExecuteStatementException e, String name) {
        if (Rows.isUniqueViolation(e)) {
            return ServiceException.field(ErrorCode.ISSUER_EXISTS, "name", "A federation issuer named '" + name + "' already exists");
        }
        return e;
    }
}
