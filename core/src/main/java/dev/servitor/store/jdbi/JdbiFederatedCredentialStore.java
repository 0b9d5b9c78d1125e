// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.federation.FederatedCredential;
import dev.servitor.federation.FederatedCredentialStore;
import dev.servitor.federation.FederationIssuer;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

final class JdbiFederatedCredentialStore implements FederatedCredentialStore {
    private static final String FEDERATED_CREDENTIAL_SELECT = """
        SELECT id, org_id, service_account_id, issuer_id, name, audience, subject, subject_prefix, claims, condition,
               token_lifetime_seconds, last_used_at, created_at, updated_at, created_by
        FROM federated_credentials""";
    private static final String FEDERATED_CREDENTIAL_FIND_BY_NAME = FEDERATED_CREDENTIAL_SELECT
        + " WHERE service_account_id = :sa AND name = :name";
    private static final String FEDERATED_CREDENTIAL_LIST_BY_ACCOUNT = FEDERATED_CREDENTIAL_SELECT + " WHERE service_account_id = :sa";
    private static final String FEDERATED_CREDENTIAL_LIST_BY_ISSUER = FEDERATED_CREDENTIAL_SELECT + " WHERE issuer_id = :issuer";
    private static final String FEDERATED_CREDENTIAL_WITH_ISSUER_SELECT = """
        SELECT c.id, c.org_id, c.service_account_id, c.issuer_id, c.name, c.audience, c.subject, c.subject_prefix, c.claims,
               c.condition, c.token_lifetime_seconds, c.last_used_at, c.created_at, c.updated_at, c.created_by,
               i.org_id AS i_org_id, i.name AS i_name, i.issuer_url AS i_issuer_url, i.jwks_uri AS i_jwks_uri, i.jwks AS i_jwks,
               i.max_token_age_seconds AS i_max_token_age_seconds, i.require_jti AS i_require_jti,
               i.created_at AS i_created_at, i.updated_at AS i_updated_at, i.created_by AS i_created_by
        FROM federated_credentials c JOIN federation_issuers i ON i.id = c.issuer_id
        WHERE c.service_account_id = :sa""";
    private static final String FEDERATED_CREDENTIAL_LIST_WITH_ISSUERS = FEDERATED_CREDENTIAL_WITH_ISSUER_SELECT + " ORDER BY c.name";
    private static final String FEDERATED_CREDENTIAL_COUNT_BY_ISSUER = "SELECT COUNT(*) FROM federated_credentials WHERE issuer_id = :issuer";
    private static final String FEDERATED_CREDENTIAL_INSERT = """
        INSERT INTO federated_credentials (id, org_id, service_account_id, issuer_id, name, audience, subject, subject_prefix,
                                           claims, condition, token_lifetime_seconds, last_used_at, created_at, updated_at, created_by)
        VALUES (:id, :orgId, :sa, :issuer, :name, :audience, :subject, :prefix, :claims, :condition, :lifetime, NULL,
                :createdAt, :updatedAt, :createdBy)""";
    private static final String FEDERATED_CREDENTIAL_UPDATE = """
        UPDATE federated_credentials SET issuer_id = :issuer, name = :name, audience = :audience, subject = :subject,
               subject_prefix = :prefix, claims = :claims, condition = :condition, token_lifetime_seconds = :lifetime,
               updated_at = :updatedAt
        WHERE id = :id""";
    private static final String FEDERATED_CREDENTIAL_TOUCH = "UPDATE federated_credentials SET last_used_at = :usedAt WHERE id = :id";
    private static final String FEDERATED_CREDENTIAL_DELETE = "DELETE FROM federated_credentials WHERE id = :id";

    private static final RowMapper<FederatedCredential> MAPPER = (rs, ctx) -> new FederatedCredential(rs.getString("id"),
        rs.getString("org_id"), rs.getString("service_account_id"), rs.getString("issuer_id"), rs.getString("name"),
        rs.getString("audience"), rs.getString("subject"), rs.getString("subject_prefix"), claims(rs.getString("claims")),
        rs.getString("condition"), rs.getLong("token_lifetime_seconds"), Rows.instant(rs, "last_used_at"),
        Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"), rs.getString("created_by"));

    private static final RowMapper<WithIssuer> WITH_ISSUER = (rs, ctx) -> new WithIssuer(MAPPER.map(rs, ctx),
        new FederationIssuer(rs.getString("issuer_id"), rs.getString("i_org_id"), rs.getString("i_name"), rs.getString("i_issuer_url"),
            rs.getString("i_jwks_uri"), rs.getString("i_jwks"), rs.getLong("i_max_token_age_seconds"), rs.getBoolean("i_require_jti"),
            Rows.instant(rs, "i_created_at"), Rows.instant(rs, "i_updated_at"), rs.getString("i_created_by")));

    private final Handle h;

    JdbiFederatedCredentialStore(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(FederatedCredential c) {
        try {
            bind(h.createUpdate(FEDERATED_CREDENTIAL_INSERT), c).bind("orgId", c.orgId()).bind("sa", c.serviceAccountId())
                .bind("createdAt", Rows.millis(c.createdAt())).bind("createdBy", c.createdBy()).execute();
        } catch (UnableToExecuteStatementException e) {
            throw nameTaken(e, c.name());
        }
    }

    @Override
    public Optional<FederatedCredential> findByName(String serviceAccountId, String name) {
        return h.createQuery(FEDERATED_CREDENTIAL_FIND_BY_NAME).bind("sa", serviceAccountId).bind("name", name).map(MAPPER).findOne();
    }

    @Override
    public List<FederatedCredential> list(String serviceAccountId, PageRequest page) {
        StringBuilder sql = new StringBuilder(FEDERATED_CREDENTIAL_LIST_BY_ACCOUNT);
        if (page.after() != null) sql.append(" AND name > :after");
        sql.append(" ORDER BY name LIMIT :limit");
        Query q = h.createQuery(sql.toString()).bind("sa", serviceAccountId).bind("limit", page.size() + 1);
        if (page.after() != null) q.bind("after", page.after());
        return q.map(MAPPER).list();
    }

    @Override
    public List<FederatedCredential> listAll(String serviceAccountId) {
        return h.createQuery(FEDERATED_CREDENTIAL_LIST_BY_ACCOUNT + " ORDER BY name").bind("sa", serviceAccountId).map(MAPPER).list();
    }

    @Override
    public List<WithIssuer> listWithIssuers(String serviceAccountId) {
        return h.createQuery(FEDERATED_CREDENTIAL_LIST_WITH_ISSUERS).bind("sa", serviceAccountId).map(WITH_ISSUER).list();
    }

    @Override
    public int countByIssuer(String issuerId) {
        return h.createQuery(FEDERATED_CREDENTIAL_COUNT_BY_ISSUER).bind("issuer", issuerId).mapTo(Integer.class).one();
    }

    @Override
    public List<FederatedCredential> listByIssuer(String issuerId) {
        return h.createQuery(FEDERATED_CREDENTIAL_LIST_BY_ISSUER).bind("issuer", issuerId).map(MAPPER).list();
    }

    @Override
    public void update(FederatedCredential c) {
        try {
            bind(h.createUpdate(FEDERATED_CREDENTIAL_UPDATE), c).execute();
        } catch (UnableToExecuteStatementException e) {
            throw nameTaken(e, c.name());
        }
    }

    @Override
    public void delete(String id) {
        h.createUpdate(FEDERATED_CREDENTIAL_DELETE).bind("id", id).execute();
    }

    @Override
    public void touch(String id, Instant usedAt) {
        h.createUpdate(FEDERATED_CREDENTIAL_TOUCH).bind("id", id).bind("usedAt", Rows.millis(usedAt)).execute();
    }

    private static Update bind(Update u, FederatedCredential c) {
        return u.bind("id", c.id()).bind("issuer", c.issuerId()).bind("name", c.name()).bind("audience", c.audience())
            .bind("subject", c.subject()).bind("prefix", c.subjectPrefix()).bind("claims", JSONObjectUtils.toJSONString(new LinkedHashMap<>(c.claims())))
            .bind("condition", c.condition()).bind("lifetime", c.tokenLifetimeSeconds()).bind("updatedAt", Rows.millis(c.updatedAt()));
    }

    private static Map<String, String> claims(String json) {
        try {
            Map<String, String> m = new LinkedHashMap<>();
            JSONObjectUtils.parse(json).forEach((k, v) -> m.put(k, String.valueOf(v)));
            return m;
        } catch (ParseException e) {
            throw new IllegalStateException("federated_credentials.claims is not a JSON object", e);
        }
    }

    private static RuntimeException nameTaken(UnableToExecuteStatementException e, String name) {
        if (Rows.isUniqueViolation(e)) {
            return ServiceException.field(ErrorCode.FEDERATED_CREDENTIAL_EXISTS, "name", "A federated credential named '" + name + "' already exists");
        }
        return e;
    }
}
