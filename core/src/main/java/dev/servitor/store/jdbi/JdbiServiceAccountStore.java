// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountFilter;
import dev.servitor.directory.ServiceAccountPrincipal;
import dev.servitor.directory.ServiceAccountStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

final class JdbiServiceAccountStore implements ServiceAccountStore {
    private static final String SERVICE_ACCOUNT_SELECT = """
        SELECT sa.id, sa.org_id, sa.name, sa.description, sa.role, sa.network_policy, sa.is_org_admin, sa.disabled,
               sa.created_at, sa.updated_at, sa.created_by,
               (SELECT COUNT(*) FROM api_keys k WHERE k.owner_id = sa.id
                   AND (k.revoked_at IS NULL OR k.revoked_at > :now)
                   AND (k.expires_at IS NULL OR k.expires_at > :now)) AS key_count
        FROM service_accounts sa""";
    private static final String SERVICE_ACCOUNT_FIND_BY_NAME =
        SERVICE_ACCOUNT_SELECT + " WHERE sa.org_id = :orgId AND sa.name = :name";
    private static final String SERVICE_ACCOUNT_FIND_BY_ID = SERVICE_ACCOUNT_SELECT + " WHERE sa.id = :id";
    /**
     * One row per group of the account (one row with a null group_name when it has none). A
     * positional parameter: run through {@link Rows#plainQuery}, as it is on every principal-cache miss.
     */
    private static final String SERVICE_ACCOUNT_FIND_PRINCIPAL_BY_ID = """
        SELECT sa.id, sa.org_id, sa.name, sa.description, sa.role, sa.network_policy, sa.is_org_admin, sa.disabled,
               sa.created_at, sa.updated_at, sa.created_by, 0 AS key_count,
               o.name AS org_name, o.service_accounts_require_group, g.name AS group_name
        FROM service_accounts sa
        JOIN organizations o ON o.id = sa.org_id
        LEFT JOIN group_members m ON m.principal_id = sa.id
        LEFT JOIN access_groups g ON g.id = m.group_id
        WHERE sa.id = ?
        ORDER BY g.name""";
    private static final String SERVICE_ACCOUNT_LIST_BY_ORG = SERVICE_ACCOUNT_SELECT + " WHERE sa.org_id = :orgId";
    private static final String SERVICE_ACCOUNT_INSERT = """
        INSERT INTO service_accounts (id, org_id, name, description, role, network_policy, is_org_admin, disabled,
                                      created_at, updated_at, created_by)
        VALUES (:id, :orgId, :name, :description, :role, :networkPolicy, :orgAdmin, :disabled,
                :createdAt, :updatedAt, :createdBy)""";
    private static final String SERVICE_ACCOUNT_UPDATE = """
        UPDATE service_accounts SET name = :name, description = :description, role = :role,
               network_policy = :networkPolicy, is_org_admin = :orgAdmin, disabled = :disabled, updated_at = :updatedAt
        WHERE id = :id""";
    private static final String SERVICE_ACCOUNT_LOCK = "UPDATE service_accounts SET updated_at = updated_at WHERE id = :id";
    private static final String SERVICE_ACCOUNT_DELETE = "DELETE FROM service_accounts WHERE id = :id";
    /** organizations.service_account_count follows every insert and delete, in their transaction (V16). */
    private static final String ORG_COUNT_UP =
        "UPDATE organizations SET service_account_count = service_account_count + 1 WHERE id = :orgId";
    private static final String ORG_COUNT_DOWN = """
        UPDATE organizations SET service_account_count = service_account_count - 1
        WHERE id = (SELECT org_id FROM service_accounts WHERE id = :id)""";
    private static final String SERVICE_ACCOUNT_LIST_NETWORK_POLICIES_BY_ORG =
        "SELECT id, network_policy FROM service_accounts WHERE org_id = :orgId AND network_policy IS NOT NULL";
    private static final String SERVICE_ACCOUNT_COUNT_BY_NETWORK_POLICY =
        "SELECT COUNT(*) FROM service_accounts WHERE org_id = :orgId AND network_policy = :policy";
    private static final String SERVICE_ACCOUNT_RENAME_NETWORK_POLICY =
        "UPDATE service_accounts SET network_policy = :to WHERE org_id = :orgId AND network_policy = :from";

    private static final RowMapper<ServiceAccount> MAPPER = (rs, ctx) -> new ServiceAccount(rs.getString("id"),
        rs.getString("org_id"), rs.getString("name"), rs.getString("description"), rs.getString("role"), List.of(),
        rs.getString("network_policy"), rs.getBoolean("is_org_admin"), rs.getBoolean("disabled"),
        Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"), rs.getString("created_by"),
        rs.getInt("key_count"), List.of());

    private final Handle h;

    JdbiServiceAccountStore(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(ServiceAccount sa) {
        try {
            h.createUpdate(SERVICE_ACCOUNT_INSERT).bind("id", sa.id()).bind("orgId", sa.orgId()).bind("name", sa.name())
                .bind("description", sa.description()).bind("role", sa.role()).bind("networkPolicy", sa.networkPolicy())
                .bind("orgAdmin", sa.orgAdmin()).bind("disabled", sa.disabled())
                .bind("createdAt", Rows.millis(sa.createdAt())).bind("updatedAt", Rows.millis(sa.updatedAt()))
                .bind("createdBy", sa.createdBy()).execute();
        } catch (UnableToExecuteStatementException e) {
            throw nameTaken(e, sa.name());
        }
        h.createUpdate(ORG_COUNT_UP).bind("orgId", sa.orgId()).execute();
    }

    @Override
    public Optional<ServiceAccount> findByName(String orgId, String name, Instant now) {
        return h.createQuery(SERVICE_ACCOUNT_FIND_BY_NAME).bind("orgId", orgId).bind("name", name)
            .bind("now", now.toEpochMilli()).map(MAPPER).findOne();
    }

    @Override
    public Optional<ServiceAccount> findById(String id, Instant now) {
        return h.createQuery(SERVICE_ACCOUNT_FIND_BY_ID).bind("id", id).bind("now", now.toEpochMilli()).map(MAPPER).findOne();
    }

    @Override
    public Optional<ServiceAccountPrincipal> findPrincipalById(String id) {
        List<ServiceAccountPrincipal> rows = Rows.plainQuery(h, SERVICE_ACCOUNT_FIND_PRINCIPAL_BY_ID, (rs, ctx) -> {
            String group = rs.getString("group_name");
            return new ServiceAccountPrincipal(MAPPER.map(rs, ctx), rs.getString("org_name"),
                rs.getBoolean("service_accounts_require_group"), group == null ? List.of() : List.of(group));
        }, id);
        if (rows.isEmpty()) return Optional.empty();
        ServiceAccountPrincipal first = rows.get(0);
        List<String> groups = rows.stream().flatMap(r -> r.groups().stream()).toList();
        return Optional.of(new ServiceAccountPrincipal(first.account(), first.orgName(), first.orgRequiresGroup(), groups));
    }

    @Override
    public List<ServiceAccount> list(String orgId, ServiceAccountFilter f, PageRequest page, Instant now) {
        StringBuilder sql = new StringBuilder(SERVICE_ACCOUNT_LIST_BY_ORG);
        // Names hold only [A-Za-z0-9_-], all below '{', so [q, q + "{") is exactly the names starting with q.
        if (f.namePrefix() != null) sql.append(" AND sa.name >= :qLow AND sa.name < :qHigh");
        if (f.role() != null) sql.append(" AND sa.role = :role");
        if (f.disabled() != null) sql.append(" AND sa.disabled = :disabled");
        if (f.group() != null) {
            sql.append(" AND sa.id IN (SELECT m.principal_id FROM group_members m JOIN access_groups g ON g.id = m.group_id"
                + " WHERE g.org_id = :orgId AND g.name = :group)");
        }
        if (f.unlinkedIn() != null) {
            sql.append(" AND sa.id NOT IN (SELECT u.service_account_id FROM workspace_users u JOIN workspaces w ON w.id = u.workspace_id"
                + " WHERE w.org_id = :orgId AND w.name = :unlinkedIn AND u.service_account_id IS NOT NULL)");
        }
        if (page.after() != null) sql.append(" AND sa.name > :after");
        sql.append(" ORDER BY sa.name LIMIT :limit");
        Query q = h.createQuery(sql.toString()).bind("orgId", orgId).bind("now", now.toEpochMilli())
            .bind("limit", page.size() + 1);
        if (f.namePrefix() != null) q.bind("qLow", f.namePrefix()).bind("qHigh", f.namePrefix() + "{");
        if (f.role() != null) q.bind("role", f.role());
        if (f.disabled() != null) q.bind("disabled", f.disabled().booleanValue());
        if (f.group() != null) q.bind("group", f.group());
        if (f.unlinkedIn() != null) q.bind("unlinkedIn", f.unlinkedIn());
        if (page.after() != null) q.bind("after", page.after());
        return q.map(MAPPER).list();
    }

    @Override
    public void update(ServiceAccount sa) {
        try {
            h.createUpdate(SERVICE_ACCOUNT_UPDATE).bind("id", sa.id()).bind("name", sa.name())
                .bind("description", sa.description()).bind("role", sa.role()).bind("networkPolicy", sa.networkPolicy())
                .bind("orgAdmin", sa.orgAdmin()).bind("disabled", sa.disabled())
                .bind("updatedAt", Rows.millis(sa.updatedAt())).execute();
        } catch (UnableToExecuteStatementException e) {
            throw nameTaken(e, sa.name());
        }
    }

    @Override
    public boolean lock(String id) {
        return h.createUpdate(SERVICE_ACCOUNT_LOCK).bind("id", id).execute() == 1;
    }

    @Override
    public boolean delete(String id) {
        h.createUpdate(ORG_COUNT_DOWN).bind("id", id).execute();
        return h.createUpdate(SERVICE_ACCOUNT_DELETE).bind("id", id).execute() == 1;
    }

    @Override
    public Map<String, String> networkPolicies(String orgId) {
        Map<String, String> out = new HashMap<>();
        h.createQuery(SERVICE_ACCOUNT_LIST_NETWORK_POLICIES_BY_ORG).bind("orgId", orgId)
            .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getString("network_policy")))
            .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public int countByNetworkPolicy(String orgId, String policyName) {
        return h.createQuery(SERVICE_ACCOUNT_COUNT_BY_NETWORK_POLICY).bind("orgId", orgId).bind("policy", policyName)
            .mapTo(Integer.class).one();
    }

    @Override
    public void renameNetworkPolicy(String orgId, String from, String to) {
        h.createUpdate(SERVICE_ACCOUNT_RENAME_NETWORK_POLICY).bind("orgId", orgId).bind("from", from).bind("to", to).execute();
    }

    private static RuntimeException nameTaken(UnableToExecuteStatementException e, String name) {
        if (Rows.isUniqueViolation(e)) {
            return ServiceException.field(ErrorCode.SERVICE_ACCOUNT_EXISTS, "name",
                "A service account named '" + name + "' already exists");
        }
        return e;
    }
}
