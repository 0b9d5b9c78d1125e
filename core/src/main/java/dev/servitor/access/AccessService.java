// SPDX-License-Identifier: Apache-2.0
package dev.servitor.access;

import dev.servitor.audit.AuditLog;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.caller.Permissions;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.Names;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.directory.OrgStore;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Custom roles and groups of an organization. Org admins only. A change takes effect on the
 * very next request: every cached principal is evicted after commit.
 */
public final class AccessService {
    private static final int MAX_DESCRIPTION = 1024;
    private final Store store;
    private final AuditLog audit;
    private final Authorizer authz;
    private final CacheInvalidation cache;
    private final Clock clock;

    public AccessService(Store store, AuditLog audit, Authorizer authz, CacheInvalidation cache, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.authz = authz;
        this.cache = cache;
        this.clock = clock;
    }

    // ---- roles

    /** Built-in and custom roles in one list by name (names are ASCII: Java and the stores order them alike). */
    public Page<Role> listRoles(Caller caller, PageRequest page) {
        authz.requireOrgAdmin(caller, "role.list", "role:*");
        List<Role> rows = new ArrayList<>(store.read(tx -> tx.table(AccessStore.class).listRoles(caller.orgId(), page)));
        Roles.BUILT_IN.forEach((name, perms) -> {
            if (page.after() == null || name.compareTo(page.after()) > 0) rows.add(new Role(null, name, "built-in", perms, true, null, null));
        });
        rows.sort(java.util.Comparator.comparing(Role::name));
        return Page.of(rows.subList(0, Math.min(rows.size(), page.size() + 1)), page, Role::name);
    }

    public Role getRole(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "role.get", "role:" + name);
        if (Roles.isBuiltIn(name)) return new Role(null, name, "built-in", Roles.BUILT_IN.get(name), true, null, null);
        return store.read(tx -> tx.table(AccessStore.class).findRole(caller.orgId(), name))
            .orElseThrow(() -> new ServiceException(ErrorCode.ROLE_NOT_FOUND, "No role named '" + name + "'"));
    }

    public Role createRole(Caller caller, String name, String description, List<String> permissions) {
        authz.requireOrgAdmin(caller, "role.create", "role:" + name);
        Names.require("name", name);
        List<String> perms = permissions(permissions);
        Role created = store.write(tx -> {
            if (Roles.isBuiltIn(name) || tx.table(AccessStore.class).findRole(caller.orgId(), name).isPresent()) {
                throw ServiceException.field(ErrorCode.ROLE_EXISTS, "name", "A role named '" + name + "' already exists");
            }
            Instant now = clock.instant();
            Role r = new Role(Ids.newId("role"), name, description(description), perms, false, now, now);
            tx.table(AccessStore.class).insertRole(caller.orgId(), r);
            audit.append(tx, caller.orgId(), caller, "role.create", "role:" + name, Map.of("permissions", String.join(" ", perms)));
            cache.principalChanged(tx, CacheInvalidation.ALL);
            return r;
        });
        return created;
    }

    public Role updateRole(Caller caller, String name, String description, List<String> permissions) {
        authz.requireOrgAdmin(caller, "role.update", "role:" + name);
        if (Roles.isBuiltIn(name)) throw ServiceException.field(ErrorCode.INVALID_VALUE, "name", "Built-in role '" + name + "' cannot change");
        List<String> perms = permissions == null ? null : permissions(permissions);
        Role updated = store.write(tx -> {
            Role r = tx.table(AccessStore.class).findRole(caller.orgId(), name)
                .orElseThrow(() -> new ServiceException(ErrorCode.ROLE_NOT_FOUND, "No role named '" + name + "'"));
            Role next = new Role(r.id(), name, description == null ? r.description() : description(description),
                perms == null ? r.permissions() : perms, false, r.createdAt(), clock.instant());
            tx.table(AccessStore.class).updateRole(caller.orgId(), next);
            audit.append(tx, caller.orgId(), caller, "role.update", "role:" + name, Map.of("permissions", String.join(" ", next.permissions())));
            cache.principalChanged(tx, CacheInvalidation.ALL);
            return next;
        });
        return updated;
    }

    public void deleteRole(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "role.delete", "role:" + name);
        if (Roles.isBuiltIn(name)) throw ServiceException.field(ErrorCode.INVALID_VALUE, "name", "Built-in role '" + name + "' cannot be deleted");
        store.write(tx -> {
            tx.table(AccessStore.class).findRole(caller.orgId(), name)
                .orElseThrow(() -> new ServiceException(ErrorCode.ROLE_NOT_FOUND, "No role named '" + name + "'"));
            List<String> groups = tx.table(AccessStore.class).groupsWithRole(caller.orgId(), name);
            long holders = tx.table(AccessStore.class).countWithRole(caller.orgId(), name);
            if (!groups.isEmpty() || holders > 0) {
                throw new ServiceException(ErrorCode.ROLE_IN_USE, "Role '" + name + "' is held by " + holders
                    + " accounts and groups " + groups + "; reassign them first");
            }
            tx.table(AccessStore.class).deleteRole(caller.orgId(), name);
            audit.append(tx, caller.orgId(), caller, "role.delete", "role:" + name, Map.of());
            cache.principalChanged(tx, CacheInvalidation.ALL);
            return null;
        });
    }

    // ---- groups

    public Page<Group> listGroups(Caller caller, PageRequest page) {
        authz.requireOrgAdmin(caller, "group.list", "group:*");
        return Page.of(store.read(tx -> tx.table(AccessStore.class).listGroups(caller.orgId(), page)), page, Group::name);
    }

    public Group getGroup(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "group.get", "group:" + name);
        return store.read(tx -> findGroup(tx, caller.orgId(), name));
    }

    public Group createGroup(Caller caller, String name, String description, List<String> roles) {
        authz.requireOrgAdmin(caller, "group.create", "group:" + name);
        Names.require("name", name);
        Group created = store.write(tx -> {
            if (tx.table(AccessStore.class).findGroup(caller.orgId(), name).isPresent()) {
                throw ServiceException.field(ErrorCode.GROUP_EXISTS, "name", "A group named '" + name + "' already exists");
            }
            Instant now = clock.instant();
            Group g = new Group(Ids.newId("grp"), caller.orgId(), name, description(description),
                requireRoles(tx, caller.orgId(), roles == null ? List.of() : roles), now, now);
            tx.table(AccessStore.class).insertGroup(g);
            audit.append(tx, caller.orgId(), caller, "group.create", "group:" + name, Map.of("roles", String.join(" ", g.roles())));
            cache.principalChanged(tx, CacheInvalidation.ALL);
            return g;
        });
        return created;
    }

    public Group updateGroup(Caller caller, String name, String newName, String description, List<String> roles) {
        authz.requireOrgAdmin(caller, "group.update", "group:" + name);
        if (newName != null) Names.require("name", newName);
        Group updated = store.write(tx -> {
            Group g = findGroup(tx, caller.orgId(), name);
            if (newName != null && !newName.equals(name) && tx.table(AccessStore.class).findGroup(caller.orgId(), newName).isPresent()) {
                throw ServiceException.field(ErrorCode.GROUP_EXISTS, "name", "A group named '" + newName + "' already exists");
            }
            Group next = new Group(g.id(), g.orgId(), newName == null ? g.name() : newName,
                description == null ? g.description() : description(description),
                roles == null ? g.roles() : requireRoles(tx, caller.orgId(), roles), g.createdAt(), clock.instant());
            tx.table(AccessStore.class).updateGroup(next);
            audit.append(tx, caller.orgId(), caller, "group.update", "group:" + name, Map.of("roles", String.join(" ", next.roles())));
            cache.principalChanged(tx, CacheInvalidation.ALL);
            return next;
        });
        return updated;
    }

    public void deleteGroup(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "group.delete", "group:" + name);
        store.write(tx -> {
            Group g = findGroup(tx, caller.orgId(), name);
            if (tx.table(OrgStore.class).settings(caller.orgId()).serviceAccountsRequireGroup()
                    && tx.table(AccessStore.class).membersOnlyIn(g.id()).stream().anyMatch(id -> id.startsWith("sa_"))) {
                throw new ServiceException(ErrorCode.GROUP_REQUIRED,
                    "Group '" + name + "' is the only group of some service accounts, and this organization requires one");
            }
            tx.table(AccessStore.class).deleteGroup(g.id());
            audit.append(tx, caller.orgId(), caller, "group.delete", "group:" + name, Map.of());
            cache.principalChanged(tx, CacheInvalidation.ALL);
            return null;
        });
    }

    // ---- helpers for other services, inside their transaction

    /** Returns {@code role} if it is built in or defined in the organization, else 422 naming {@code field}. */
    public static String requireRole(Tx tx, String orgId, String field, String role) {
        if (Roles.isBuiltIn(role) || tx.table(AccessStore.class).findRole(orgId, role).isPresent()) return role;
        throw ServiceException.field(ErrorCode.UNKNOWN_ROLE, field, "'" + field + "': no role named '" + role + "'");
    }

    /** The ids of the named groups, or 422 {@code unknown_group} naming {@code field}. */
    public static List<String> requireGroups(Tx tx, String orgId, String field, List<String> names) {
        List<String> ids = new ArrayList<>();
        for (String n : new LinkedHashSet<>(names)) {
            ids.add(tx.table(AccessStore.class).findGroup(orgId, n).map(Group::id).orElseThrow(() ->
                ServiceException.field(ErrorCode.UNKNOWN_GROUP, field, "'" + field + "': no group named '" + n + "'")));
        }
        return ids;
    }

    private static List<String> requireRoles(Tx tx, String orgId, List<String> roles) {
        List<String> out = new ArrayList<>();
        for (String r : new LinkedHashSet<>(roles)) out.add(requireRole(tx, orgId, "roles", r));
        return out;
    }

    private static Group findGroup(Tx tx, String orgId, String name) {
        return tx.table(AccessStore.class).findGroup(orgId, name)
            .orElseThrow(() -> new ServiceException(ErrorCode.GROUP_NOT_FOUND, "No group named '" + name + "'"));
    }

    private static List<String> permissions(List<String> permissions) {
        if (permissions == null) throw ServiceException.field(ErrorCode.MISSING_FIELD, "permissions", "'permissions' is required");
        for (int i = 0; i < permissions.size(); i++) {
            if (!Permissions.isValid(permissions.get(i))) {
                throw ServiceException.field(ErrorCode.INVALID_VALUE, "permissions[" + i + "]",
                    "'permissions[" + i + "]' must be 1-128 characters of [A-Za-z0-9_.:*-]");
            }
        }
        return List.copyOf(new LinkedHashSet<>(permissions));
    }

    private static String description(String d) {
        String v = d == null ? "" : d;
        if (v.length() > MAX_DESCRIPTION || v.indexOf('\0') >= 0) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "description", "'description' must be at most 1024 characters, without NUL");
        }
        return v;
    }

}
