// SPDX-License-Identifier: Apache-2.0
package dev.servitor.workspace;

import dev.servitor.audit.AuditLog;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.Names;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Workspaces and their users (Firebolt's accounts and users linked to a service account).
 * Org admins only. A service account is linked to at most one user per workspace and may be
 * linked in several; while linked it cannot be deleted.
 */
public final class WorkspaceService {
    private final Store store;
    private final AuditLog audit;
    private final Authorizer authz;
    private final Clock clock;

    public WorkspaceService(Store store, AuditLog audit, Authorizer authz, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.authz = authz;
        this.clock = clock;
    }

    /** A workspace user as asked for; {@code serviceAccount} null: not linked. */
    public record NewUser(String name, String serviceAccount, String login, String defaultDatabase, String defaultEngine) {}

    /** A partial change: null leaves a member as it is; {@code serviceAccount} Optional.empty() unlinks. */
    public record UserPatch(Optional<String> serviceAccount, String login, String defaultDatabase, String defaultEngine) {}

    /** Creates the {@code default} workspace of a new organization inside its transaction. */
    public static void createDefault(Tx tx, String orgId, Instant now) {
        tx.table(WorkspaceStore.class).insert(new Workspace(Ids.newId("ws"), orgId, Workspace.DEFAULT, now));
    }

    public Workspace create(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "workspace.create", "workspace:" + name);
        Names.require("name", name);
        return store.write(tx -> {
            if (tx.table(WorkspaceStore.class).find(caller.orgId(), name).isPresent()) {
                throw ServiceException.field(ErrorCode.WORKSPACE_EXISTS, "name", "A workspace named '" + name + "' already exists");
            }
            Workspace w = new Workspace(Ids.newId("ws"), caller.orgId(), name, clock.instant());
            tx.table(WorkspaceStore.class).insert(w);
            audit.append(tx, caller.orgId(), caller, "workspace.create", "workspace:" + name, Map.of("id", w.id()));
            return w;
        });
    }

    public Page<Workspace> list(Caller caller, PageRequest page) {
        authz.requireOrgAdmin(caller, "workspace.list", "workspace:*");
        return Page.of(store.read(tx -> tx.table(WorkspaceStore.class).list(caller.orgId(), page)), page, Workspace::name);
    }

    public Workspace get(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "workspace.get", "workspace:" + name);
        return store.read(tx -> workspace(tx, caller, name));
    }

    public void delete(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "workspace.delete", "workspace:" + name);
        if (Workspace.DEFAULT.equals(name)) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "name", "The default workspace cannot be deleted");
        }
        store.write(tx -> {
            Workspace w = workspace(tx, caller, name);
            if (!tx.table(WorkspaceStore.class).listUsers(w.id(), PageRequest.first(1)).isEmpty()) {
                throw new ServiceException(ErrorCode.WORKSPACE_NOT_EMPTY, "Workspace '" + name + "' still has users; drop them first");
            }
            tx.table(WorkspaceStore.class).delete(w.id());
            audit.append(tx, caller.orgId(), caller, "workspace.delete", "workspace:" + name, Map.of("id", w.id()));
            return null;
        });
    }

    public WorkspaceUser createUser(Caller caller, String workspace, NewUser req, boolean ifNotExists) {
        String ws = workspace == null ? Workspace.DEFAULT : workspace;
        authz.requireOrgAdmin(caller, "workspace.user_create", "workspace:" + ws);
        Names.require("name", req.name());
        return store.write(tx -> {
            Workspace w = workspace(tx, caller, ws);
            Optional<WorkspaceUser> existing = tx.table(WorkspaceStore.class).findUser(w.id(), req.name());
            if (existing.isPresent()) {
                if (ifNotExists) return existing.get();
                throw ServiceException.field(ErrorCode.USER_EXISTS, "name", "Workspace '" + ws + "' already has a user named '" + req.name() + "'");
            }
            String saId = req.serviceAccount() == null ? null : linkable(tx, caller, w, req.serviceAccount(), null);
            Instant now = clock.instant();
            WorkspaceUser u = new WorkspaceUser(Ids.newId("wsu"), w.id(), w.name(), req.name(), saId, req.serviceAccount(), req.login(),
                req.defaultDatabase(), req.defaultEngine(), now, now);
            tx.table(WorkspaceStore.class).insertUser(u);
            audit.append(tx, caller.orgId(), caller, "workspace.user_create", "workspace:" + ws + "/user:" + req.name(),
                details(u));
            return tx.table(WorkspaceStore.class).findUser(w.id(), req.name()).orElseThrow();
        });
    }

    public Page<WorkspaceUser> listUsers(Caller caller, String workspace, PageRequest page) {
        String ws = workspace == null ? Workspace.DEFAULT : workspace;
        authz.requireOrgAdmin(caller, "workspace.user_list", "workspace:" + ws);
        return Page.of(store.read(tx -> tx.table(WorkspaceStore.class).listUsers(workspace(tx, caller, ws).id(), page)), page, WorkspaceUser::name);
    }

    public WorkspaceUser getUser(Caller caller, String workspace, String name) {
        String ws = workspace == null ? Workspace.DEFAULT : workspace;
        authz.requireOrgAdmin(caller, "workspace.user_get", "workspace:" + ws);
        return store.read(tx -> user(tx, workspace(tx, caller, ws), name));
    }

    public WorkspaceUser updateUser(Caller caller, String workspace, String name, UserPatch p) {
        String ws = workspace == null ? Workspace.DEFAULT : workspace;
        authz.requireOrgAdmin(caller, "workspace.user_update", "workspace:" + ws);
        return store.write(tx -> {
            Workspace w = workspace(tx, caller, ws);
            WorkspaceUser u = user(tx, w, name);
            String saId = u.serviceAccountId();
            if (p.serviceAccount() != null) {
                saId = p.serviceAccount().isEmpty() ? null : linkable(tx, caller, w, p.serviceAccount().get(), u.id());
            }
            WorkspaceUser next = new WorkspaceUser(u.id(), u.workspaceId(), u.workspace(), u.name(), saId, null,
                p.login() != null ? p.login() : u.login(), p.defaultDatabase() != null ? p.defaultDatabase() : u.defaultDatabase(),
                p.defaultEngine() != null ? p.defaultEngine() : u.defaultEngine(), u.createdAt(), clock.instant());
            tx.table(WorkspaceStore.class).updateUser(next);
            audit.append(tx, caller.orgId(), caller, "workspace.user_update", "workspace:" + ws + "/user:" + name, details(next));
            return tx.table(WorkspaceStore.class).findUser(w.id(), name).orElseThrow();
        });
    }

    /** Returns whether a user was dropped ({@code ifExists} turns a missing user into false). */
    public boolean deleteUser(Caller caller, String workspace, String name, boolean ifExists) {
        String ws = workspace == null ? Workspace.DEFAULT : workspace;
        authz.requireOrgAdmin(caller, "workspace.user_delete", "workspace:" + ws);
        return store.write(tx -> {
            Workspace w = workspace(tx, caller, ws);
            Optional<WorkspaceUser> u = tx.table(WorkspaceStore.class).findUser(w.id(), name);
            if (u.isEmpty()) {
                if (ifExists) return false;
                throw new ServiceException(ErrorCode.USER_NOT_FOUND, "Workspace '" + ws + "' has no user named '" + name + "'");
            }
            tx.table(WorkspaceStore.class).deleteUser(u.get().id());
            audit.append(tx, caller.orgId(), caller, "workspace.user_delete", "workspace:" + ws + "/user:" + name, Map.of("id", u.get().id()));
            return true;
        });
    }

    /** The id of the service account, if it is not yet linked to another user of the workspace. */
    private String linkable(Tx tx, Caller caller, Workspace w, String serviceAccount, String exceptUserId) {
        ServiceAccount sa = tx.table(ServiceAccountStore.class).findByName(caller.orgId(), serviceAccount, clock.instant())
            .orElseThrow(() -> ServiceException.field(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, "service_account",
                "No service account named '" + serviceAccount + "'"));
        Optional<WorkspaceUser> linked = tx.table(WorkspaceStore.class).linkedUserIn(w.id(), sa.id());
        if (linked.isPresent() && !linked.get().id().equals(exceptUserId)) {
            throw ServiceException.field(ErrorCode.ALREADY_LINKED, "service_account", "'" + serviceAccount
                + "' is already linked to user '" + linked.get().name() + "' in workspace '" + w.name() + "'");
        }
        return sa.id();
    }

    private static Map<String, String> details(WorkspaceUser u) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("id", u.id());
        d.put("service_account_id", u.serviceAccountId());
        return d;
    }

    private static Workspace workspace(Tx tx, Caller caller, String name) {
        return tx.table(WorkspaceStore.class).find(caller.orgId(), name)
            .orElseThrow(() -> new ServiceException(ErrorCode.WORKSPACE_NOT_FOUND, "No workspace named '" + name + "'"));
    }

    private static WorkspaceUser user(Tx tx, Workspace w, String name) {
        return tx.table(WorkspaceStore.class).findUser(w.id(), name)
            .orElseThrow(() -> new ServiceException(ErrorCode.USER_NOT_FOUND, "Workspace '" + w.name() + "' has no user named '" + name + "'"));
    }

}
