// SPDX-License-Identifier: Apache-2.0
package dev.servitor.org;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.servitor.apikey.ApiKeyService;
import dev.servitor.audit.AuditLog;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.caller.OwnerKind;
import dev.servitor.common.Emails;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.Names;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.config.ServitorConfig;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.directory.OrgSettings;
import dev.servitor.directory.OrgStore;
import dev.servitor.directory.Organization;
import dev.servitor.directory.User;
import dev.servitor.directory.UserStore;
import dev.servitor.network.NetworkPolicyService;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import dev.servitor.user.UserEmails;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Organizations: the instance operator creates them (each with its first org admin, whose key
 * is shown once); an org admin reads and changes its own organization's settings and quotas
 * and sees its usage. Organizations are isolated: nothing here reaches another one.
 */
public final class OrgService {
    private final Store store;
    private final AuditLog audit;
    private final Authorizer authz;
    private final ApiKeyService keys;
    private final CacheInvalidation cache;
    private final UsageCounters usage;
    private final Clock clock;
    private final ServitorConfig config;
    private final UserEmails emails;
    private final Cache<String, OrgSettings> settingsCache =
        Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofSeconds(30)).build();

    public OrgService(Store store, AuditLog audit, Authorizer authz, ApiKeyService keys, CacheInvalidation cache, UsageCounters usage, Clock clock,
                      ServitorConfig config) {
        this.store = store;
        this.audit = audit;
        this.authz = authz;
        this.keys = keys;
        this.cache = cache;
        this.usage = usage;
        this.clock = clock;
        this.config = config;
        this.emails = UserEmails.of(config.identity());
    }

    /** An organization with its settings and usage, as GET /v1/org shows it. */
    public record View(Organization org, OrgSettings settings, Map<String, Long> usage, String networkPolicy) {}

    public record Created(Organization org, String adminKey) {
        @Override
        public String toString() {
            return "Created[" + org.name() + "]"; // never print the key
        }
    }

    /** The settings every new organization starts with, from the configuration. */
    public OrgSettings defaults() {
        return new OrgSettings(false, config.tokens().defaultLifetimeSeconds(), 10_000,
            config.credentials().maxKeysPerServiceAccount(), config.credentials().maxKeysPerUser());
    }

    public Created create(Caller caller, String name, String adminUsername, String adminEmail) {
        authz.requireOperator(caller, "org.create", "org:" + (Names.isValid(name) ? name : "(invalid name)"));
        Names.require("name", name);
        Names.require("admin_username", adminUsername);
        Emails.require("admin_email", adminEmail);
        String secret = SecretFormat.generate(config.credentials().keyPrefix());
        Organization org = store.write(tx -> {
            if (tx.table(OrgStore.class).findByName(name).isPresent()) {
                throw ServiceException.field(ErrorCode.ORG_EXISTS, "name", "An organization named '" + name + "' already exists");
            }
            emails.requireAvailable(tx, null, null, false, "admin_email", adminEmail);
            Organization o = insert(tx, caller, name);
            Instant now = clock.instant();
            User admin = User.builder().id(Ids.newId("usr")).orgId(o.id()).username(adminUsername).email(adminEmail)
                .role("admin").orgAdmin(true).createdAt(now).updatedAt(now).build();
            tx.table(UserStore.class).insert(admin);
            audit.append(tx, o.id(), caller, "user.create", "user:" + adminUsername, Map.of("id", admin.id(), "is_org_admin", "true"));
            keys.insertWithSecret(tx, caller, new ApiKeyService.Owner(OwnerKind.USER, admin.id(), adminUsername, o.id()), "bootstrap", secret);
            return o;
        });
        return new Created(org, secret);
    }

    /** Inserts an organization with default settings inside the caller's transaction; used by the first start too. */
    public Organization insert(Tx tx, Caller caller, String name) {
        Organization o = new Organization(Ids.newId("org"), name, clock.instant());
        tx.table(OrgStore.class).insert(o);
        tx.table(OrgStore.class).updateSettings(o.id(), defaults());
        dev.servitor.workspace.WorkspaceService.createDefault(tx, o.id(), clock.instant());
        audit.append(tx, o.id(), caller, "org.create", "org:" + name, Map.of("id", o.id()));
        return o;
    }

    public Page<Organization> list(Caller caller, PageRequest page) {
        authz.requireOperator(caller, "org.list", "org:*");
        return Page.of(store.read(tx -> tx.table(OrgStore.class).list(page)), page, Organization::name);
    }

    public View get(Caller caller) {
        requireAdmin(caller, "org.get");
        Instant now = clock.instant();
        return store.read(tx -> {
            Organization org = tx.table(OrgStore.class).findById(caller.orgId()).orElseThrow();
            Map<String, Long> u = new LinkedHashMap<>();
            u.put("service_accounts", tx.table(OrgStore.class).countServiceAccounts(org.id()));
            u.put("users", tx.table(OrgStore.class).countUsers(org.id()));
            u.put("live_keys", tx.table(OrgStore.class).countLiveKeys(org.id(), now));
            u.put("token_grants_this_month", tx.table(OrgStore.class).usage(org.id(), usage.month(), UsageCounters.TOKEN_GRANTS));
            u.put("verifications_this_month", tx.table(OrgStore.class).usage(org.id(), usage.month(), UsageCounters.VERIFICATIONS));
            return new View(org, tx.table(OrgStore.class).settings(org.id()), u, tx.table(OrgStore.class).networkPolicy(org.id()).orElse(null));
        });
    }

    /** A partial update of settings and quotas; null members stay as they are. */
    public record Patch(Boolean serviceAccountsRequireGroup, Long accessTokenLifetimeSeconds, Integer maxServiceAccounts,
                        Integer maxKeysPerServiceAccount, Integer maxKeysPerUser, java.util.Optional<String> networkPolicy) {}

    public View update(Caller caller, Patch p) {
        requireAdmin(caller, "org.update");
        if (p.accessTokenLifetimeSeconds() != null
                && (p.accessTokenLifetimeSeconds() < 60 || p.accessTokenLifetimeSeconds() > config.tokens().maxLifetimeSeconds())) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "access_token_lifetime_seconds",
                "'access_token_lifetime_seconds' must be between 60 and " + config.tokens().maxLifetimeSeconds());
        }
        requirePositive("quotas.max_service_accounts", p.maxServiceAccounts());
        requirePositive("quotas.max_keys_per_service_account", p.maxKeysPerServiceAccount());
        requirePositive("quotas.max_keys_per_user", p.maxKeysPerUser());
        store.write(tx -> {
            OrgSettings s = tx.table(OrgStore.class).settings(caller.orgId());
            OrgSettings next = new OrgSettings(
                p.serviceAccountsRequireGroup() != null ? p.serviceAccountsRequireGroup() : s.serviceAccountsRequireGroup(),
                p.accessTokenLifetimeSeconds() != null ? p.accessTokenLifetimeSeconds() : s.accessTokenLifetimeSeconds(),
                p.maxServiceAccounts() != null ? p.maxServiceAccounts() : s.maxServiceAccounts(),
                p.maxKeysPerServiceAccount() != null ? p.maxKeysPerServiceAccount() : s.maxKeysPerServiceAccount(),
                p.maxKeysPerUser() != null ? p.maxKeysPerUser() : s.maxKeysPerUser());
            tx.table(OrgStore.class).updateSettings(caller.orgId(), next);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("settings", next.toString());
            if (p.networkPolicy() != null) {
                String policy = p.networkPolicy().orElse(null);
                if (policy != null) NetworkPolicyService.requireExisting(tx, caller.orgId(), policy);
                tx.table(OrgStore.class).setNetworkPolicy(caller.orgId(), policy);
                details.put("network_policy", policy == null ? "(none)" : policy);
            }
            audit.append(tx, caller.orgId(), caller, "org.update", "org:" + caller.principal().orgName(), details);
            if (p.networkPolicy() != null) cache.networkPoliciesChanged(tx, caller.orgId());
            cache.principalChanged(tx, CacheInvalidation.ALL); // group mode changes everyone's permissions
            return null;
        });
        settingsCache.invalidate(caller.orgId());
        return get(caller);
    }

    /** The organization's settings, cached for the hot paths (a change elsewhere applies within 30 s). */
    public OrgSettings settings(String orgId) {
        return settingsCache.get(orgId, id -> store.read(tx -> tx.table(OrgStore.class).settings(id)));
    }

    private static void requirePositive(String field, Integer v) {
        if (v != null && (v < 1 || v > 1_000_000)) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, field, "'" + field + "' must be between 1 and 1000000");
        }
    }

    private void requireAdmin(Caller caller, String action) {
        authz.requireOrgAdmin(caller, action, "org:" + caller.principal().orgName());
    }
}
