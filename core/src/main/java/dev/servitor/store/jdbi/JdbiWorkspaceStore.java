// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.common.PageRequest;
import dev.servitor.workspace.Workspace;
import dev.servitor.workspace.WorkspaceStore;
import dev.servitor.workspace.WorkspaceUser;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

final class JdbiWorkspaceStore implements WorkspaceStore {
    private static final String WORKSPACE_INSERT = "INSERT INTO workspaces (id, org_id, name, created_at) VALUES (:id, :orgId, :name, :createdAt)";
    private static final String WORKSPACE_FIND_BY_NAME = "SELECT id, org_id, name, created_at FROM workspaces WHERE org_id = :orgId AND name = :name";
    private static final String WORKSPACE_LIST_BY_ORG = "SELECT id, org_id, name, created_at FROM workspaces WHERE org_id = :orgId";
    private static final String WORKSPACE_DELETE = "DELETE FROM workspaces WHERE id = :id";
    private static final String WORKSPACE_USER_SELECT = """
        SELECT u.id, u.workspace_id, w.name AS workspace, u.name, u.service_account_id, sa.name AS service_account, u.login,
               u.default_database, u.default_engine, u.created_at, u.updated_at
        FROM workspace_users u JOIN workspaces w ON w.id = u.workspace_id
        LEFT JOIN service_accounts sa ON sa.id = u.service_account_id""";
    private static final String WORKSPACE_USER_INSERT = """
        INSERT INTO workspace_users (id, org_id, workspace_id, name, service_account_id, login, default_database, default_engine,
                                     created_at, updated_at)
        SELECT :id, w.org_id, w.id, :name, :saId, :login, :db, :engine, :createdAt, :updatedAt FROM workspaces w WHERE w.id = :workspaceId""";
    private static final String WORKSPACE_USER_FIND = WORKSPACE_USER_SELECT + " WHERE u.workspace_id = :workspaceId AND u.name = :name";
    private static final String WORKSPACE_USER_LIST = WORKSPACE_USER_SELECT + " WHERE u.workspace_id = :workspaceId";
    private static final String WORKSPACE_USER_UPDATE = """
        UPDATE workspace_users SET service_account_id = :saId, login = :login, default_database = :db, default_engine = :engine,
               updated_at = :updatedAt WHERE id = :id""";
    private static final String WORKSPACE_USER_DELETE = "DELETE FROM workspace_users WHERE id = :id";
    private static final String WORKSPACE_USER_LINKS_OF_ACCOUNTS = """
        SELECT u.service_account_id, w.name || '/' || u.name FROM workspace_users u JOIN workspaces w ON w.id = u.workspace_id
        WHERE u.service_account_id IN (<saIds>) ORDER BY w.name, u.name""";
    private static final String WORKSPACE_USER_LINKED_IN = WORKSPACE_USER_SELECT + " WHERE u.workspace_id = :workspaceId AND u.service_account_id = :saId";

    private static final RowMapper<Workspace> MAPPER = (rs, ctx) ->
        new Workspace(rs.getString("id"), rs.getString("org_id"), rs.getString("name"), Rows.instant(rs, "created_at"));
    private static final RowMapper<WorkspaceUser> USER_MAPPER = (rs, ctx) -> new WorkspaceUser(rs.getString("id"),
        rs.getString("workspace_id"), rs.getString("workspace"), rs.getString("name"), rs.getString("service_account_id"),
        rs.getString("service_account"), rs.getString("login"), rs.getString("default_database"), rs.getString("default_engine"),
        Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));

    private final Handle h;

    JdbiWorkspaceStore(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(Workspace w) {
        h.createUpdate(WORKSPACE_INSERT).bind("id", w.id()).bind("orgId", w.orgId()).bind("name", w.name())
            .bind("createdAt", Rows.millis(w.createdAt())).execute();
    }

    @Override
    public Optional<Workspace> find(String orgId, String name) {
        return h.createQuery(WORKSPACE_FIND_BY_NAME).bind("orgId", orgId).bind("name", name).map(MAPPER).findOne();
    }

    @Override
    public List<Workspace> list(String orgId, PageRequest page) {
        String sql = WORKSPACE_LIST_BY_ORG + (page.after() == null ? "" : " AND name > :after") + " ORDER BY name LIMIT :limit";
        Query q = h.createQuery(sql).bind("orgId", orgId).bind("limit", page.size() + 1);
        if (page.after() != null) q.bind("after", page.after());
        return q.map(MAPPER).list();
    }

    @Override
    public void delete(String id) {
        h.createUpdate(WORKSPACE_DELETE).bind("id", id).execute();
    }

    @Override
    public void insertUser(WorkspaceUser u) {
        h.createUpdate(WORKSPACE_USER_INSERT).bind("id", u.id()).bind("workspaceId", u.workspaceId()).bind("name", u.name())
            .bind("saId", u.serviceAccountId()).bind("login", u.login()).bind("db", u.defaultDatabase())
            .bind("engine", u.defaultEngine()).bind("createdAt", Rows.millis(u.createdAt()))
            .bind("updatedAt", Rows.millis(u.updatedAt())).execute();
    }

    @Override
    public Optional<WorkspaceUser> findUser(String workspaceId, String name) {
        return h.createQuery(WORKSPACE_USER_FIND).bind("workspaceId", workspaceId).bind("name", name).map(USER_MAPPER).findOne();
    }

    @Override
    public List<WorkspaceUser> listUsers(String workspaceId, PageRequest page) {
        String sql = WORKSPACE_USER_LIST + (page.after() == null ? "" : " AND u.name > :after") + " ORDER BY u.name LIMIT :limit";
        Query q = h.createQuery(sql).bind("workspaceId", workspaceId).bind("limit", page.size() + 1);
        if (page.after() != null) q.bind("after", page.after());
        return q.map(USER_MAPPER).list();
    }

    @Override
    public void updateUser(WorkspaceUser u) {
        h.createUpdate(WORKSPACE_USER_UPDATE).bind("id", u.id()).bind("saId", u.serviceAccountId()).bind("login", u.login())
            .bind("db", u.defaultDatabase()).bind("engine", u.defaultEngine()).bind("updatedAt", Rows.millis(u.updatedAt())).execute();
    }

    @Override
    public void deleteUser(String id) {
        h.createUpdate(WORKSPACE_USER_DELETE).bind("id", id).execute();
    }

    @Override
    public Map<String, List<String>> linksOf(Collection<String> serviceAccountIds) {
        if (serviceAccountIds.isEmpty()) return Map.of();
        return Rows.groupPairs(h.createQuery(WORKSPACE_USER_LINKS_OF_ACCOUNTS).bindList("saIds", List.copyOf(serviceAccountIds)));
    }

    @Override
    public Optional<WorkspaceUser> linkedUserIn(String workspaceId, String serviceAccountId) {
        return h.createQuery(WORKSPACE_USER_LINKED_IN).bind("workspaceId", workspaceId).bind("saId", serviceAccountId)
            .map(USER_MAPPER).findOne();
    }
}
