// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.network.NetworkPolicy;
import dev.servitor.network.NetworkPolicyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

final class JdbiNetworkPolicyStore implements NetworkPolicyStore {
    private static final String NETWORK_POLICY_SELECT = """
        SELECT id, org_id, name, description, allowed_ips, blocked_ips, created_at, updated_at, created_by
        FROM network_policies""";
    private static final String NETWORK_POLICY_FIND_BY_NAME = NETWORK_POLICY_SELECT + " WHERE org_id = :orgId AND name = :name";
    private static final String NETWORK_POLICY_LIST_BY_ORG = NETWORK_POLICY_SELECT + " WHERE org_id = :orgId";
    private static final String NETWORK_POLICY_INSERT = """
        INSERT INTO network_policies (id, org_id, name, description, allowed_ips, blocked_ips, created_at, updated_at, created_by)
        VALUES (:id, :orgId, :name, :description, :allowed, :blocked, :createdAt, :updatedAt, :createdBy)""";
    private static final String NETWORK_POLICY_UPDATE = """
        UPDATE network_policies SET name = :name, description = :description, allowed_ips = :allowed,
               blocked_ips = :blocked, updated_at = :updatedAt
        WHERE id = :id""";
    private static final String NETWORK_POLICY_DELETE = "DELETE FROM network_policies WHERE id = :id";

    private static final RowMapper<NetworkPolicy> MAPPER = (rs, ctx) -> new NetworkPolicy(rs.getString("id"),
        rs.getString("org_id"), rs.getString("name"), rs.getString("description"), split(rs.getString("allowed_ips")),
        split(rs.getString("blocked_ips")), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"),
        rs.getString("created_by"));

    private final Handle h;

    JdbiNetworkPolicyStore(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(NetworkPolicy p) {
        try {
            h.createUpdate(NETWORK_POLICY_INSERT).bind("id", p.id()).bind("orgId", p.orgId()).bind("name", p.name())
                .bind("description", p.description()).bind("allowed", join(p.allowedIps())).bind("blocked", join(p.blockedIps()))
                .bind("createdAt", Rows.millis(p.createdAt())).bind("updatedAt", Rows.millis(p.updatedAt()))
                .bind("createdBy", p.createdBy()).execute();
        } catch (UnableToExecuteStatementException e) {
            throw nameTaken(e, p.name());
        }
    }

    @Override
    public Optional<NetworkPolicy> findByName(String orgId, String name) {
        return h.createQuery(NETWORK_POLICY_FIND_BY_NAME).bind("orgId", orgId).bind("name", name).map(MAPPER).findOne();
    }

    @Override
    public List<NetworkPolicy> list(String orgId, PageRequest page) {
        StringBuilder sql = new StringBuilder(NETWORK_POLICY_LIST_BY_ORG);
        if (page.after() != null) sql.append(" AND name > :after");
        sql.append(" ORDER BY name LIMIT :limit");
        Query q = h.createQuery(sql.toString()).bind("orgId", orgId).bind("limit", page.size() + 1);
        if (page.after() != null) q.bind("after", page.after());
        return q.map(MAPPER).list();
    }

    @Override
    public List<NetworkPolicy> listAll(String orgId) {
        return h.createQuery(NETWORK_POLICY_LIST_BY_ORG).bind("orgId", orgId).map(MAPPER).list();
    }

    @Override
    public void update(NetworkPolicy p) {
        try {
            h.createUpdate(NETWORK_POLICY_UPDATE).bind("id", p.id()).bind("name", p.name()).bind("description", p.description())
                .bind("allowed", join(p.allowedIps())).bind("blocked", join(p.blockedIps()))
                .bind("updatedAt", Rows.millis(p.updatedAt())).execute();
        } catch (UnableToExecuteStatementException e) {
            throw nameTaken(e, p.name());
        }
    }

    @Override
    public void delete(String id) {
        h.createUpdate(NETWORK_POLICY_DELETE).bind("id", id).execute();
    }

    private static String join(List<String> entries) {
        return String.join(",", entries);
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
    }

    private static RuntimeException nameTaken(UnableToExecuteStatementException e, String name) {
        if (Rows.isUniqueViolation(e)) {
            return ServiceException.field(ErrorCode.NETWORK_POLICY_EXISTS, "name", "A network policy named '" + name + "' already exists");
        }
        return e;
    }
}
