// SPDX-License-Identifier: Apache-2.0
package dev.servitor.account;

import dev.servitor.access.AccessService;
import dev.servitor.access.AccessStore;
import dev.servitor.access.Roles;
import dev.servitor.apikey.ApiKeyService;
import dev.servitor.apikey.ApiKeyStore;
import dev.servitor.apikey.CreatedKey;
import dev.servitor.audit.AuditLog;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.caller.OwnerKind;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.Names;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.compute.ComputeSettingsStore;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.directory.OrgSettings;
import dev.servitor.directory.OrgStore;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountFilter;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.network.NetworkPolicyService;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import dev.servitor.workspace.WorkspaceStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of service accounts: only org admins manage them, names are unique per
 * organization, every change is one transaction with its audit event, and every change that
 * affects verification evicts the cached state after commit.
 */
public final class ServiceAccountService {
    static final int MAX_DESCRIPTION_LENGTH = 1024;

    private final Store store;
    private final AuditLog audit;
    private final Authorizer authz;
    private final ApiKeyService keys;
    private final CacheInvalidation cache;
    private final Clock clock;
    private final String emailDomain;

    public ServiceAccountService(Store store, AuditLog audit, Authorizer authz, ApiKeyService keys, CacheInvalidation cache, Clock clock,
                                 String emailDomain) {
        this.store = store;
        this.audit = audit;
        this.authz = authz;
        this.keys = keys;
        this.cache = cache;
        this.clock = clock;
        this.emailDomain = emailDomain;
    }

    /** The result of a create: {@code created} is false when {@code if_not_exists} found it already there. */
    public record Created(ServiceAccount account, CreatedKey key, boolean created) {}

    public Created create(Caller caller, NewServiceAccount req, boolean ifNotExists, boolean issueKey) {
        authz.requireOrgAdmin(caller, "service_account.create", target(req.name()));
        if (issueKey) authz.requireNotImpersonating(caller, "service_account.create", target(req.name()));
        String name = Names.require("name", req.name());
        String description = description(req.description());
        String role = req.role() == null ? Roles.DEFAULT : req.role();
        List<String> groups = req.groups() == null ? List.of() : req.groups();
        String policy = req.networkPolicy();
        boolean orgAdmin = Boolean.TRUE.equals(req.orgAdmin());
        try {
            return insert(caller, name, description, role, groups, policy, orgAdmin, ifNotExists, issueKey);
        } catch (ServiceException e) {
            // a concurrent create of the same name won the unique index after our lookup; under
            // if_not_exists that is the account the caller asked for, not a conflict
            if (!ifNotExists || e.code() != ErrorCode.SERVICE_ACCOUNT_EXISTS) throw e;
            return store.read(tx -> tx.table(ServiceAccountStore.class).findByName(caller.orgId(), name, clock.instant()))
                .map(existing -> new Created(existing, null, false))
                .orElseThrow(() -> e);
        }
    }

    private Created insert(Caller caller, String name, String description, String role, List<String> groups, String policy,
                           boolean orgAdmin, boolean ifNotExists, boolean issueKey) {
        return store.write(tx -> {
            Instant now = clock.instant();
            Optional<ServiceAccount> existing = tx.table(ServiceAccountStore.class).findByName(caller.orgId(), name, now);
            if (existing.isPresent()) {
                if (ifNotExists) return new Created(withGroups(tx, existing.get()), null, false);
                throw ServiceException.field(ErrorCode.SERVICE_ACCOUNT_EXISTS, "name",
                    "A service account named '" + name + "' already exists");
            }
            AccessService.requireRole(tx, caller.orgId(), "role", role);
            List<String> groupIds = AccessService.requireGroups(tx, caller.orgId(), "groups", groups);
            OrgSettings settings = tx.table(OrgStore.class).settings(caller.orgId());
            if (groupIds.isEmpty() && settings.serviceAccountsRequireGroup()) {
                throw ServiceException.field(ErrorCode.GROUP_REQUIRED, "groups",
                    "This organization requires every service account to be in at least one group");
            }
            tx.table(OrgStore.class).lock(caller.orgId()); // the quota holds under concurrent creates
            if (tx.table(OrgStore.class).countServiceAccounts(caller.orgId()) >= settings.maxServiceAccounts()) {
                throw new ServiceException(ErrorCode.QUOTA_EXCEEDED,
                    "The organization already has " + settings.maxServiceAccounts() + " service accounts, its quota");
            }
            if (policy != null) NetworkPolicyService.requireExisting(tx, caller.orgId(), policy); // same transaction as the attach
            ServiceAccount sa = ServiceAccount.builder().id(Ids.newId("sa")).orgId(caller.orgId()).name(name)
                .description(description).role(role).networkPolicy(policy).orgAdmin(orgAdmin)
                .createdAt(now).updatedAt(now).createdBy(caller.auditActor()).build();
            tx.table(ServiceAccountStore.class).insert(sa);
            tx.table(AccessStore.class).setMemberships(sa.id(), groupIds);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("id", sa.id());
            details.put("role", role);
            details.put("is_org_admin", Boolean.toString(orgAdmin));
            details.put("groups", String.join(" ", groups));
            if (policy != null) details.put("network_policy", policy);
            audit.append(tx, caller.orgId(), caller, "service_account.create", target(name), details);
            CreatedKey key = issueKey
                ? keys.mintDefault(tx, caller, new ApiKeyService.Owner(OwnerKind.SERVICE_ACCOUNT, sa.id(), name, sa.orgId()))
                : null;
            if (policy != null) cache.networkPoliciesChanged(tx, caller.orgId());
            return new Created(reload(tx, sa.id()), key, true);
        });
    }

    public Page<ServiceAccount> list(Caller caller, ServiceAccountFilter filter, PageRequest page) {
        authz.requireOrgAdmin(caller, "service_account.list", "service_account:*");
        if (filter.namePrefix() != null && !filter.namePrefix().matches("[A-Za-z0-9_-]{0,63}")) {
            return new Page<>(List.of(), null); // no name can start with anything else
        }
        List<ServiceAccount> rows = store.read(tx ->
            withGroups(tx, tx.table(ServiceAccountStore.class).list(caller.orgId(), filter, page, clock.instant())));
        return Page.of(rows, page, ServiceAccount::name);
    }

    public ServiceAccount get(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "service_account.get", target(name));
        return store.read(tx -> find(tx, caller, name));
    }

    public ServiceAccount update(Caller caller, String name, ServiceAccountPatch patch) {
        authz.requireOrgAdmin(caller, "service_account.update", target(name));
        String newName = patch.name() == null ? null : Names.require("name", patch.name());
        String description = patch.description() == null ? null : description(patch.description());
        String role = patch.role();
        ServiceAccount updated = store.write(tx -> {
            ServiceAccount sa = findLocked(tx, caller, name);
            String policy = patch.networkPolicy() == null ? sa.networkPolicy() : patch.networkPolicy().orElse(null);
            if (policy != null && !policy.equals(sa.networkPolicy())) NetworkPolicyService.requireExisting(tx, caller.orgId(), policy);
            if (role != null) AccessService.requireRole(tx, caller.orgId(), "role", role);
            List<String> groups = patch.groups() == null ? sa.groups() : List.copyOf(new java.util.TreeSet<>(patch.groups()));
            if (patch.groups() != null) {
                List<String> groupIds = AccessService.requireGroups(tx, caller.orgId(), "groups", patch.groups());
                if (groupIds.isEmpty() && tx.table(OrgStore.class).settings(caller.orgId()).serviceAccountsRequireGroup()) {
                    throw ServiceException.field(ErrorCode.GROUP_REQUIRED, "groups",
                        "This organization requires every service account to be in at least one group");
                }
                tx.table(AccessStore.class).setMemberships(sa.id(), groupIds);
            }
            ServiceAccount next = sa.toBuilder().name(or(newName, sa.name())).description(or(description, sa.description()))
                .role(or(role, sa.role())).groups(groups).networkPolicy(policy)
                .orgAdmin(patch.orgAdmin() == null ? sa.orgAdmin() : patch.orgAdmin()).updatedAt(clock.instant()).build();
            if (sameSettings(sa, next)) return sa;
            if (!next.name().equals(sa.name())
                    && tx.table(ServiceAccountStore.class).findByName(caller.orgId(), next.name(), clock.instant()).isPresent()) {
                throw ServiceException.field(ErrorCode.SERVICE_ACCOUNT_EXISTS, "name",
                    "A service account named '" + next.name() + "' already exists");
            }
            tx.table(ServiceAccountStore.class).update(next);
            audit.append(tx, caller.orgId(), caller, "service_account.update", target(sa.name()), changes(sa, next));
            cache.principalChanged(tx, sa.id());
            if (patch.networkPolicy() != null) cache.networkPoliciesChanged(tx, sa.orgId()); // the attachment may have changed
            return reload(tx, sa.id());
        });
        return updated;
    }

    /** Disable: every credential of the account fails at once; enable: they work again. */
    public ServiceAccount setDisabled(Caller caller, String name, boolean disabled) {
        String action = disabled ? "service_account.disable" : "service_account.enable";
        authz.requireOrgAdmin(caller, action, target(name));
        ServiceAccount updated = store.write(tx -> {
            ServiceAccount sa = findLocked(tx, caller, name);
            if (sa.disabled() == disabled) return sa;
            tx.table(ServiceAccountStore.class).update(sa.toBuilder().disabled(disabled).updatedAt(clock.instant()).build());
            audit.append(tx, caller.orgId(), caller, action, target(name), Map.of("id", sa.id()));
            cache.principalChanged(tx, sa.id());
            return reload(tx, sa.id());
        });
        return updated;
    }

    /**
     * Deletes the account and revokes every key of it in the same transaction. The row lock comes
     * first (see {@link #findLocked}): of racing deletes one wins and the others find no row (404),
     * and a key creation that held the lock first has committed, so its key is among those revoked.
     */
    public void delete(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "service_account.delete", target(name));
        store.write(tx -> {
            ServiceAccount sa = findLocked(tx, caller, name);
            if (!sa.linkedUsers().isEmpty()) {
                throw new ServiceException(ErrorCode.LINKED_USERS_EXIST,
                    "'" + name + "' is linked to users " + sa.linkedUsers() + "; unlink them first");
            }
            List<String> hashes = tx.table(ApiKeyStore.class).revokeAllOf(sa.id(), clock.instant());
            tx.table(AccessStore.class).removeMember(sa.id());
            tx.table(ComputeSettingsStore.class).delete(sa.id());
            if (!tx.table(ServiceAccountStore.class).delete(sa.id())) throw notFound(name);
            audit.append(tx, caller.orgId(), caller, "service_account.delete", target(name),
                Map.of("id", sa.id(), "keys_revoked", Integer.toString(hashes.size())));
            cache.keysChanged(tx, hashes);
            cache.principalChanged(tx, sa.id());
            return null;
        });
    }

    /** {@code <name>@<org>.sa.<domain>} of an account of the caller's organization. */
    public String email(Caller caller, ServiceAccount sa) {
        return ServiceAccount.email(sa.name(), caller.principal().orgName(), emailDomain);
    }

    private ServiceAccount find(Tx tx, Caller caller, String name) {
        return tx.table(ServiceAccountStore.class).findByName(caller.orgId(), name, clock.instant()).map(sa -> withGroups(tx, sa))
            .orElseThrow(() -> notFound(name));
    }

    /**
     * The account, read after taking its row lock, which is held to the end of the transaction:
     * changes of one account run one after another, and one that waited for a delete finds no row (404).
     */
    private ServiceAccount findLocked(Tx tx, Caller caller, String name) {
        String id = tx.table(ServiceAccountStore.class).findByName(caller.orgId(), name, clock.instant()).map(ServiceAccount::id)
            .orElseThrow(() -> notFound(name));
        if (!tx.table(ServiceAccountStore.class).lock(id)) throw notFound(name);
        return reload(tx, id);
    }

    private static ServiceException notFound(String name) {
        return new ServiceException(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, "No service account named '" + name + "'");
    }

    private ServiceAccount reload(Tx tx, String id) {
        return withGroups(tx, tx.table(ServiceAccountStore.class).findById(id, clock.instant()).orElseThrow());
    }

    private static ServiceAccount withGroups(Tx tx, ServiceAccount sa) {
        return withGroups(tx, List.of(sa)).get(0);
    }

    /** The accounts with their groups and linked users: two queries whatever the count. */
    private static List<ServiceAccount> withGroups(Tx tx, List<ServiceAccount> accounts) {
        List<String> ids = accounts.stream().map(ServiceAccount::id).toList();
        Map<String, List<String>> groups = tx.table(AccessStore.class).groupsOf(ids);
        Map<String, List<String>> links = tx.table(WorkspaceStore.class).linksOf(ids);
        return accounts.stream().map(sa -> sa.toBuilder().groups(groups.getOrDefault(sa.id(), List.of()))
            .linkedUsers(links.getOrDefault(sa.id(), List.of())).build()).toList();
    }


    /** The audit target; a name that breaks the naming rule (it might be a pasted secret) is not recorded. */
    private static String target(String name) {
        return "service_account:" + (Names.isValid(name) && !SecretFormat.isWellFormed(name) ? name : "(invalid name)");
    }

    private static String description(String d) {
        String v = d == null ? "" : d;
        if (v.length() > MAX_DESCRIPTION_LENGTH) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "description",
                "'description' must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        if (v.indexOf('\0') >= 0) { // PostgreSQL text cannot hold U+0000; refuse it on every engine alike
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "description", "'description' must not contain NUL characters");
        }
        return v;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static boolean sameSettings(ServiceAccount a, ServiceAccount b) {
        return a.name().equals(b.name()) && a.description().equals(b.description()) && a.role().equals(b.role())
            && a.orgAdmin() == b.orgAdmin() && a.groups().equals(b.groups())
            && java.util.Objects.equals(a.networkPolicy(), b.networkPolicy());
    }

    private static Map<String, String> changes(ServiceAccount before, ServiceAccount after) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("id", before.id());
        if (!before.name().equals(after.name())) out.put("name", after.name());
        if (!before.description().equals(after.description())) out.put("description", "changed");
        if (!before.role().equals(after.role())) out.put("role", after.role());
        if (before.orgAdmin() != after.orgAdmin()) out.put("is_org_admin", Boolean.toString(after.orgAdmin()));
        if (!before.groups().equals(after.groups())) out.put("groups", String.join(" ", after.groups()));
        if (!java.util.Objects.equals(before.networkPolicy(), after.networkPolicy())) {
            out.put("network_policy", after.networkPolicy() == null ? "(none)" : after.networkPolicy());
        }
        return out;
    }
}
