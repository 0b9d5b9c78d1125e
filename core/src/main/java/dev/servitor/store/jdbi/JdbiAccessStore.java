// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.access.AccessStore;
import dev.servitor.access.Group;
import dev.servitor.access.Role;
import dev.servitor.common.PageRequest;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/** Custom roles, groups, the roles a group holds and who is in which group. Permissions are stored space-separated. */
final class JdbiAccessStore implements AccessStore {
    private static final String ROLE_COLUMNS = "id, name, description, permissions, created_at, updated_at";
    private static final String ROLE_INSERT = """
        INSERT INTO roles (id, org_id, name, description, permissions, created_at, updated_at)
        VALUES (:id, :orgId, :name, :description, :permissions, :createdAt, :updatedAt)""";
    private static final String ROLE_FIND_BY_NAME = "SELECT " + ROLE_COLUMNS + " FROM roles WHERE org_id = :orgId AND name = :name";
    private static final String ROLE_LIST_BY_ORG = "SELECT " + ROLE_COLUMNS + " FROM roles WHERE org_id = :orgId";
    private static final String ROLE_UPDATE = """
        UPDATE roles SET description = :description, permissions = :permissions, updated_at = :updatedAt
        WHERE org_id = :orgId AND name = :name""";
    private static final String ROLE_DELETE = "DELETE FROM roles WHERE org_id = :orgId AND name = :name";
    private static final String GROUP_ROLE_GROUPS_WITH_ROLE = """
        SELECT g.name FROM access_groups g JOIN group_roles gr ON gr.group_id = g.id
        WHERE g.org_id = :orgId AND gr.role_name = :role ORDER BY g.name""";

    private static final String GROUP_COLUMNS = "id, org_id, name, description, created_at, updated_at";
    private static final String GROUP_INSERT = """
        INSERT INTO access_groups (id, org_id, name, description, created_at, updated_at)
        VALUES (:id, :orgId, :name, :description, :createdAt, :updatedAt)""";
    private static final String GROUP_FIND_BY_NAME = "SELECT " + GROUP_COLUMNS + " FROM access_groups WHERE org_id = :orgId AND name = :name";
    private static final String GROUP_LIST_BY_ORG = "SELECT " + GROUP_COLUMNS + " FROM access_groups WHERE org_id = :orgId";
    private static final String GROUP_UPDATE = """
        UPDATE access_groups SET name = :name, description = :description, updated_at = :updatedAt WHERE id = :id""";
    private static final String GROUP_DELETE = "DELETE FROM access_groups WHERE id = :id";
    private static final String GROUP_ROLE_LIST = "SELECT role_name FROM group_roles WHERE group_id = :groupId ORDER BY role_name";
    private static final String GROUP_ROLE_LIST_OF_MANY =
        "SELECT group_id, role_name FROM group_roles WHERE group_id IN (<groupIds>) ORDER BY role_name";
    private static final String GROUP_ROLE_DELETE_ALL = "DELETE FROM group_roles WHERE group_id = :groupId";
    private static final String GROUP_ROLE_INSERT = "INSERT INTO group_roles (group_id, role_name) VALUES (:groupId, :role)";
    private static final String GROUP_MEMBER_DELETE_BY_PRINCIPAL = "DELETE FROM group_members WHERE principal_id = :principalId";
    private static final String GROUP_MEMBER_DELETE_BY_GROUP = "DELETE FROM group_members WHERE group_id = :groupId";
    private static final String GROUP_MEMBER_INSERT = "INSERT INTO group_members (group_id, principal_id) VALUES (:groupId, :principalId)";
    private static final String GROUP_MEMBER_GROUPS_OF = """
        SELECT g.name FROM access_groups g JOIN group_members m ON m.group_id = g.id
        WHERE m.principal_id = :principalId ORDER BY g.name""";
    private static final String GROUP_MEMBER_GROUPS_OF_MANY = """
        SELECT m.principal_id, g.name FROM access_groups g JOIN group_members m ON m.group_id = g.id
        WHERE m.principal_id IN (<principalIds>) ORDER BY g.name""";
    private static final String GROUP_MEMBER_LIST_BY_GROUP = "SELECT principal_id FROM group_members WHERE group_id = :groupId";

    private static final String GROUP_MEMBER_ONLY_IN = """
        SELECT m.principal_id FROM group_members m WHERE m.group_id = :groupId
          AND NOT EXISTS (SELECT 1 FROM group_members o WHERE o.principal_id = m.principal_id AND o.group_id <> :groupId)""";
    private static final String ROLE_COUNT_HOLDERS = """
        SELECT (SELECT COUNT(*) FROM service_accounts WHERE org_id = :orgId AND role = :role)
             + (SELECT COUNT(*) FROM users WHERE org_id = :orgId AND role = :role)""";

    private static final RowMapper<Role> ROLE_MAPPER = (rs, ctx) -> new Role(rs.getString("id"), rs.getString("name"),
        rs.getString("description"), split(rs.getString("permissions")), false, Rows.instant(rs, "created_at"),
        Rows.instant(rs, "updated_at"));

    private final Handle h;

    JdbiAccessStore(Handle h) {
        this.h = h;
    }

    private static List<String> split(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split(" "));
    }

    @Override
    public void insertRole(String orgId, Role r) {
        h.createUpdate(ROLE_INSERT).bind("id", r.id()).bind("orgId", orgId).bind("name", r.name())
            .bind("description", r.description()).bind("permissions", String.join(" ", r.permissions()))
            .bind("createdAt", Rows.millis(r.createdAt())).bind("updatedAt", Rows.millis(r.updatedAt())).execute();
    }

    @Override
    public Optional<Role> findRole(String orgId, String name) {
        return h.createQuery(ROLE_FIND_BY_NAME).bind("orgId", orgId).bind("name", name).map(ROLE_MAPPER).findOne();
    }

    @Override
    public List<Role> listRoles(String orgId, PageRequest page) {
        String sql = ROLE_LIST_BY_ORG + (page.after() == null ? "" : " AND name > :after") + " ORDER BY name LIMIT :limit";
        Query q = h.createQuery(sql).bind("orgId", orgId).bind("limit", page.size() + 1);
        if (page.after() != null) q.bind("after", page.after());
        return q.map(ROLE_MAPPER).list();
    }

    @Override
    public void updateRole(String orgId, Role r) {
        h.createUpdate(ROLE_UPDATE).bind("orgId", orgId).bind("name", r.name()).bind("description", r.description())
            .bind("permissions", String.join(" ", r.permissions())).bind("updatedAt", Rows.millis(r.updatedAt())).execute();
    }

    @Override
    public void deleteRole(String orgId, String name) {
        h.createUpdate(ROLE_DELETE).bind("orgId", orgId).bind("name", name).execute();
    }

    @Override
    public List<String> groupsWithRole(String orgId, String roleName) {
        return h.createQuery(GROUP_ROLE_GROUPS_WITH_ROLE).bind("orgId", orgId).bind("role", roleName).mapTo(String.class).list();
    }

    @Override
    public void insertGroup(Group g) {
        h.createUpdate(GROUP_INSERT).bind("id", g.id()).bind("orgId", g.orgId()).bind("name", g.name())
            .bind("description", g.description()).bind("createdAt", Rows.millis(g.createdAt()))
            .bind("updatedAt", Rows.millis(g.updatedAt())).execute();
        setRoles(g.id(), g.roles());
    }

    @Override
    public Optional<Group> findGroup(String orgId, String name) {
        return h.createQuery(GROUP_FIND_BY_NAME).bind("orgId", orgId).bind("name", name).map(this::group).findOne();
    }

    @Override
    public List<Group> listGroups(String orgId, PageRequest page) {
        String sql = GROUP_LIST_BY_ORG + (page.after() == null ? "" : " AND name > :after") + " ORDER BY name LIMIT :limit";
        Query q = h.createQuery(sql).bind("orgId", orgId).bind("limit", page.size() + 1);
        if (page.after() != null) q.bind("after", page.after());
        List<Group> bare = q.map((rs, ctx) -> new Group(rs.getString("id"), rs.getString("org_id"), rs.getString("name"),
            rs.getString("description"), List.of(), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"))).list();
        if (bare.isEmpty()) return bare;
        // the roles of the whole page in one query, not one per group
        Map<String, List<String>> roles = Rows.groupPairs(h.createQuery(GROUP_ROLE_LIST_OF_MANY)
            .bindList("groupIds", bare.stream().map(Group::id).toList()));
        return bare.stream().map(g -> new Group(g.id(), g.orgId(), g.name(), g.description(),
            List.copyOf(roles.getOrDefault(g.id(), List.of())), g.createdAt(), g.updatedAt())).toList();
    }

    private Group group(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
        String id = rs.getString("id");
        return new Group(id, rs.getString("org_id"), rs.getString("name"), rs.getString("description"),
            h.createQuery(GROUP_ROLE_LIST).bind("groupId", id).mapTo(String.class).list(),
            Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }

    @Override
    public void updateGroup(Group g) {
        h.createUpdate(GROUP_UPDATE).bind("id", g.id()).bind("name", g.name()).bind("description", g.description())
            .bind("updatedAt", Rows.millis(g.updatedAt())).execute();
        setRoles(g.id(), g.roles());
    }

    private void setRoles(String groupId, List<String> roles) {
        h.createUpdate(GROUP_ROLE_DELETE_ALL).bind("groupId", groupId).execute();
        if (roles.isEmpty()) return;
        PreparedBatch b = h.prepareBatch(GROUP_ROLE_INSERT);
        for (String r : roles) b.bind("groupId", groupId).bind("role", r).add();
        b.execute();
    }

    @Override
    public void deleteGroup(String groupId) {
        h.createUpdate(GROUP_ROLE_DELETE_ALL).bind("groupId", groupId).execute();
        h.createUpdate(GROUP_MEMBER_DELETE_BY_GROUP).bind("groupId", groupId).execute();
        h.createUpdate(GROUP_DELETE).bind("id", groupId).execute();
    }

    @Override
    public void setMemberships(String principalId, List<String> groupIds) {
        h.createUpdate(GROUP_MEMBER_DELETE_BY_PRINCIPAL).bind("principalId", principalId).execute();
        if (groupIds.isEmpty()) return;
        PreparedBatch b = h.prepareBatch(GROUP_MEMBER_INSERT);
        for (String g : groupIds) b.bind("groupId", g).bind("principalId", principalId).add();
        b.execute();
    }

    @Override
    public List<String> groupsOf(String principalId) {
        return h.createQuery(GROUP_MEMBER_GROUPS_OF).bind("principalId", principalId).mapTo(String.class).list();
    }

    @Override
    public Map<String, List<String>> groupsOf(Collection<String> principalIds) {
        if (principalIds.isEmpty()) return Map.of();
        return Rows.groupPairs(h.createQuery(GROUP_MEMBER_GROUPS_OF_MANY).bindList("principalIds", List.copyOf(principalIds)));
    }

    @Override
    public List<String> membersOf(String groupId) {
        return h.createQuery(GROUP_MEMBER_LIST_BY_GROUP).bind("groupId", groupId).mapTo(String.class).list();
    }

    @Override
    public void removeMember(String principalId) {
        h.createUpdate(GROUP_MEMBER_DELETE_BY_PRINCIPAL).bind("principalId", principalId).execute();
    }

    @Override
    public List<String> membersOnlyIn(String groupId) {
        return h.createQuery(GROUP_MEMBER_ONLY_IN).bind("groupId", groupId).mapTo(String.class).list();
    }

    @Override
    public long countWithRole(String orgId, String role) {
        return h.createQuery(ROLE_COUNT_HOLDERS).bind("orgId", orgId).bind("role", role).mapTo(Long.class).one();
    }
}
