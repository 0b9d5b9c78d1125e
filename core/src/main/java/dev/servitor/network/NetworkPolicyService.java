// SPDX-License-Identifier: Apache-2.0
package dev.servitor.network;

import dev.servitor.audit.AuditLog;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.Names;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.directory.OrgStore;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.directory.UserStore;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of network policies: only org admins manage them, names are unique per
 * organization, every entry is an address or CIDR, a policy still attached cannot be deleted,
 * and every change is one transaction with its audit event, followed (after commit) by the
 * eviction that makes it apply to the very next request on every node.
 */
public final class NetworkPolicyService {
    static final int MAX_DESCRIPTION_LENGTH = 1024;

    private final Store store;
    private final AuditLog audit;
    private final Authorizer authz;
    private final CacheInvalidation cache;
    private final Clock clock;

    public NetworkPolicyService(Store store, AuditLog audit, Authorizer authz, CacheInvalidation cache, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.authz = authz;
        this.cache = cache;
        this.clock = clock;
    }

    public NetworkPolicy create(Caller caller, NewNetworkPolicy req) {
        authz.requireOrgAdmin(caller, "network_policy.create", target(req.name()));
        String name = Names.require("name", req.name());
        String description = description(req.description());
        List<String> allowed = IpRules.validate("allowed_ips", req.allowedIps());
        List<String> blocked = IpRules.validate("blocked_ips", req.blockedIps());
        NetworkPolicy created = store.write(tx -> {
            if (tx.table(NetworkPolicyStore.class).findByName(caller.orgId(), name).isPresent()) throw exists(name);
            Instant now = clock.instant();
            NetworkPolicy p = new NetworkPolicy(Ids.newId("np"), caller.orgId(), name, description, allowed, blocked, now, now,
                caller.auditActor());
            tx.table(NetworkPolicyStore.class).insert(p);
            audit.append(tx, caller.orgId(), caller, "network_policy.create", target(name), lists(p));
            cache.networkPoliciesChanged(tx, caller.orgId()); // nothing uses it yet, but a lost snapshot costs one read
            return p;
        });
        return created;
    }

    public Page<NetworkPolicy> list(Caller caller, PageRequest page) {
        authz.requireOrgAdmin(caller, "network_policy.list", "network_policy:*");
        List<NetworkPolicy> rows = store.read(tx -> tx.table(NetworkPolicyStore.class).list(caller.orgId(), page));
        return Page.of(rows, page, NetworkPolicy::name);
    }

    public NetworkPolicy get(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "network_policy.get", target(name));
        return store.read(tx -> find(tx, caller.orgId(), name));
    }

    /** Renaming a policy renames its attachments in the same transaction. */
    public NetworkPolicy update(Caller caller, String name, NetworkPolicyPatch patch) {
        authz.requireOrgAdmin(caller, "network_policy.update", target(name));
        String newName = patch.name() == null ? null : Names.require("name", patch.name());
        String description = patch.description() == null ? null : description(patch.description());
        List<String> allowed = patch.allowedIps() == null ? null : IpRules.validate("allowed_ips", patch.allowedIps());
        List<String> blocked = patch.blockedIps() == null ? null : IpRules.validate("blocked_ips", patch.blockedIps());
        NetworkPolicy updated = store.write(tx -> {
            NetworkPolicy p = find(tx, caller.orgId(), name);
            NetworkPolicy next = new NetworkPolicy(p.id(), p.orgId(), newName != null ? newName : p.name(),
                description != null ? description : p.description(), allowed != null ? allowed : p.allowedIps(),
                blocked != null ? blocked : p.blockedIps(), p.createdAt(), clock.instant(), p.createdBy());
            if (next.name().equals(p.name()) && next.description().equals(p.description())
                    && next.allowedIps().equals(p.allowedIps()) && next.blockedIps().equals(p.blockedIps())) {
                return p;
            }
            boolean renamed = !next.name().equals(p.name());
            if (renamed && tx.table(NetworkPolicyStore.class).findByName(caller.orgId(), next.name()).isPresent()) throw exists(next.name());
            tx.table(NetworkPolicyStore.class).update(next);
            if (renamed) {
                tx.table(ServiceAccountStore.class).renameNetworkPolicy(caller.orgId(), p.name(), next.name());
                tx.table(UserStore.class).renameNetworkPolicy(caller.orgId(), p.name(), next.name());
                tx.table(OrgStore.class).renameNetworkPolicy(caller.orgId(), p.name(), next.name());
            }
            Map<String, String> details = lists(next);
            if (renamed) details.put("name", next.name());
            if (!next.description().equals(p.description())) details.put("description", "changed");
            audit.append(tx, caller.orgId(), caller, "network_policy.update", target(p.name()), details);
            cache.networkPoliciesChanged(tx, caller.orgId());
            return next;
        });
        return updated;
    }

    /** 409 {@code policy_in_use} while the organization or a service account still uses it. */
    public void delete(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "network_policy.delete", target(name));
        store.write(tx -> {
            NetworkPolicy p = find(tx, caller.orgId(), name);
            int accounts = tx.table(ServiceAccountStore.class).countByNetworkPolicy(caller.orgId(), p.name())
                + tx.table(UserStore.class).countByNetworkPolicy(caller.orgId(), p.name());
            boolean org = p.name().equals(tx.table(OrgStore.class).networkPolicy(caller.orgId()).orElse(null));
            if (accounts > 0 || org) {
                throw new ServiceException(ErrorCode.POLICY_IN_USE, "'" + name + "' is attached to "
                    + (org ? "the organization" + (accounts > 0 ? " and " : "") : "")
                    + (accounts > 0 ? accounts + " service account(s) or user(s)" : "") + "; detach it first");
            }
            tx.table(NetworkPolicyStore.class).delete(p.id());
            audit.append(tx, caller.orgId(), caller, "network_policy.delete", target(name), Map.of("id", p.id()));
            cache.networkPoliciesChanged(tx, caller.orgId());
            return null;
        });
    }

    /**
     * Attaches a policy to the caller's organization ({@code null} detaches). For
     * {@code PATCH /v1/org}. Returns the policy name now attached.
     */
    public String attachToOrganization(Caller caller, String policyName) {
        authz.requireOrgAdmin(caller, "org.update", "org:" + (caller.principal().orgName() == null ? "" : caller.principal().orgName()));
        store.write(tx -> {
            if (policyName != null) requireExisting(tx, caller.orgId(), policyName);
            String before = tx.table(OrgStore.class).networkPolicy(caller.orgId()).orElse(null);
            if (java.util.Objects.equals(before, policyName)) return null;
            tx.table(OrgStore.class).setNetworkPolicy(caller.orgId(), policyName);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("network_policy", policyName == null ? "(none)" : policyName);
            audit.append(tx, caller.orgId(), caller, "org.update", "org:" + caller.principal().orgName(), details);
            cache.networkPoliciesChanged(tx, caller.orgId());
            return null;
        });
        return policyName;
    }

    /** The organization's policy name, or null. */
    public String organizationPolicy(Caller caller) {
        return store.read(tx -> tx.table(OrgStore.class).networkPolicy(caller.orgId()).orElse(null));
    }

    /**
     * For attaching services: throws 422 {@code unknown_network_policy} on field
     * {@code network_policy} unless the organization has a policy of that name. Call it in the
     * transaction that attaches, so a concurrent delete cannot slip between.
     */
    public static String requireExisting(Tx tx, String orgId, String name) {
        if (!Names.isValid(name) || tx.table(NetworkPolicyStore.class).findByName(orgId, name).isEmpty()) {
            throw ServiceException.field(ErrorCode.UNKNOWN_NETWORK_POLICY, "network_policy",
                "'network_policy': no network policy named '" + (Names.isValid(name) ? name : "(invalid name)") + "'");
        }
        return name;
    }

    private static NetworkPolicy find(Tx tx, String orgId, String name) {
        return tx.table(NetworkPolicyStore.class).findByName(orgId, name)
            .orElseThrow(() -> new ServiceException(ErrorCode.NETWORK_POLICY_NOT_FOUND, "No network policy named '"
                + (Names.isValid(name) ? name : "(invalid name)") + "'"));
    }


    private static ServiceException exists(String name) {
        return ServiceException.field(ErrorCode.NETWORK_POLICY_EXISTS, "name", "A network policy named '" + name + "' already exists");
    }

    /** The audit target; a name that breaks the naming rule (it might be a pasted secret) is not recorded. */
    private static String target(String name) {
        return "network_policy:" + (Names.isValid(name) && !SecretFormat.isWellFormed(name) ? name : "(invalid name)");
    }

    private static Map<String, String> lists(NetworkPolicy p) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("id", p.id());
        d.put("allowed_ips", String.join(",", p.allowedIps()));
        d.put("blocked_ips", String.join(",", p.blockedIps()));
        return d;
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
}
