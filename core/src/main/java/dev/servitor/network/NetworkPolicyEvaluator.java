// SPDX-License-Identifier: Apache-2.0
package dev.servitor.network;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.servitor.directory.OrgStore;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.directory.UserStore;
import dev.servitor.store.Store;
import inet.ipaddr.IPAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The one place that decides whether a client address may use a principal's credential. The
 * applicable policies are the organization's and the principal's own; the address is refused
 * if any of them blocks it, or if any of them has a non-empty allow list it is on none of.
 * <p>
 * Each organization's policies and attachments are read as one snapshot and cached; every
 * change to a policy or an attachment evicts the organization's snapshot after commit
 * ({@link #evict}), so it applies to the very next request. An organization without any
 * attachment costs one cache hit.
 */
public final class NetworkPolicyEvaluator {
    private static final Duration TTL = Duration.ofSeconds(60);

    private final Store store;
    private final BooleanSupplier blind;
    private final Cache<String, Snapshot> byOrg = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(TTL).build();

    /** {@code blind}: true while this node cannot hear other nodes' changes; nothing is cached then. */
    public NetworkPolicyEvaluator(Store store, BooleanSupplier blind) {
        this.store = store;
        this.blind = blind;
    }

    /** The organization's attachments and compiled policies. {@code principals}: principal id to policy name. */
    record Snapshot(String orgPolicy, Map<String, String> principals, Map<String, IpRules> policies) {
        boolean attachesNothing() {
            return orgPolicy == null && principals.isEmpty();
        }
    }

    /** True if {@code ip} may use a credential of {@code principalId} in organization {@code orgId}. */
    public boolean allows(String orgId, String principalId, String ip) {
        if (orgId == null) return true; // the system principal: not a request
        Snapshot s = blind.getAsBoolean() ? load(orgId) : byOrg.get(orgId, this::load);
        if (s.attachesNothing()) return true;
        String own = s.principals().get(principalId);
        if (s.orgPolicy() == null && own == null) return true;
        IPAddress address = IpRules.address(ip);
        // an address we cannot read cannot be shown to be allowed: refuse rather than guess
        if (address == null) return false;
        return passes(s, s.orgPolicy(), address) && passes(s, own, address);
    }

    private static boolean passes(Snapshot s, String policyName, IPAddress address) {
        if (policyName == null) return true;
        IpRules rules = s.policies().get(policyName);
        // a dangling attachment (the policy vanished under a race) refuses: fail closed
        return rules != null && rules.allows(address);
    }

    private Snapshot load(String orgId) {
        return store.read(tx -> {
            String orgPolicy = tx.table(OrgStore.class).networkPolicy(orgId).orElse(null);
            Map<String, String> principals = new HashMap<>(tx.table(ServiceAccountStore.class).networkPolicies(orgId));
            principals.putAll(tx.table(UserStore.class).networkPolicies(orgId));
            Map<String, IpRules> policies = new HashMap<>();
            if (orgPolicy != null || !principals.isEmpty()) {
                for (NetworkPolicy p : tx.table(NetworkPolicyStore.class).listAll(orgId)) policies.put(p.name(), IpRules.of(p));
            }
            return new Snapshot(orgPolicy, Map.copyOf(principals), Map.copyOf(policies));
        });
    }

    /** Forgets an organization's snapshot: a policy or an attachment of it changed. */
    public void evict(String orgId) {
        byOrg.invalidate(orgId);
    }

    public void dropAll() {
        byOrg.invalidateAll();
    }
}
