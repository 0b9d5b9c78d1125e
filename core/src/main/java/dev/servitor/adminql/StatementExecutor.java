// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import dev.servitor.account.NewServiceAccount;
import dev.servitor.account.ServiceAccountPatch;
import dev.servitor.account.ServiceAccountService;
import dev.servitor.adminql.Statement.AlterServiceAccount;
import dev.servitor.apikey.ApiKey;
import dev.servitor.apikey.ApiKeyService;
import dev.servitor.apikey.CreatedKey;
import dev.servitor.apikey.KeyUpdate;
import dev.servitor.apikey.NewKey;
import dev.servitor.caller.Caller;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.config.ServitorConfig;
import dev.servitor.directory.ServiceAccountFilter;
import dev.servitor.federation.FederatedCredential;
import dev.servitor.federation.FederationIssuer;
import dev.servitor.federation.FederationService;
import dev.servitor.federation.NewFederatedCredential;
import dev.servitor.federation.NewIssuer;
import dev.servitor.network.NetworkPolicyPatch;
import dev.servitor.network.NetworkPolicyService;
import dev.servitor.network.NewNetworkPolicy;
import dev.servitor.oauthclient.ClientSecretService;
import dev.servitor.oauthclient.GeneratedSecret;
import dev.servitor.org.OrgService;
import dev.servitor.policy.CredentialPolicy;
import dev.servitor.webhook.WebhookService;
import dev.servitor.workspace.WorkspaceService;
import dev.servitor.workspace.WorkspaceUser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Runs statements by calling the application services with the caller's {@link Caller}: the
 * services authorize, validate, audit and refuse exactly as for the matching REST call, and
 * this class adds no check of its own. {@code IF [NOT] EXISTS} is the service's
 * {@code if_not_exists}, or a "not found" answered by the service (after its permission
 * check) taken as done. Each statement is its own service call(s), so a script is not one
 * transaction: a refused statement stops the script and the earlier ones stay applied.
 *
 * <p>What one script may build is bounded ({@link ServitorConfig.Sql}): its statements when it
 * is parsed, the rows and bytes of its results by a {@link ScriptBudget} as they are built. A
 * SHOW reads its list page by page and stops at the first row past the bound.
 */
public final class StatementExecutor {
    private final ServiceAccountService accounts;
    private final ApiKeyService keys;
    private final ClientSecretService secrets;
    private final WorkspaceService workspaces;
    private final NetworkPolicyService networkPolicies;
    private final OrgService orgs;
    private final WebhookService webhooks;
    private final FederationService federation;
    private ServitorConfig.Sql limits = ServitorConfig.defaults().sql();
    private Semaphore resultBytesInFlight = new Semaphore(limits.maxBytesInFlight());

    public StatementExecutor(ServiceAccountService accounts, ApiKeyService keys, ClientSecretService secrets,
                             WorkspaceService workspaces, NetworkPolicyService networkPolicies, OrgService orgs,
                             WebhookService webhooks, FederationService federation) {
        this.accounts = accounts;
        this.keys = keys;
        this.secrets = secrets;
        this.workspaces = workspaces;
        this.networkPolicies = networkPolicies;
        this.orgs = orgs;
        this.webhooks = webhooks;
        this.federation = federation;
    }

    /** Bounds scripts and their results (the defaults unless called). */
    public StatementExecutor withLimits(ServitorConfig.Sql limits) {
        this.limits = limits;
        this.resultBytesInFlight = new Semaphore(limits.maxBytesInFlight());
        return this;
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    /**
     * A budget for the results of one script, taken from this executor's shared pool: close it
     * once the answer has been written.
     */
    public ScriptBudget newBudget() {
        return new ScriptBudget(limits.maxResultRows(), limits.maxResultBytes(), resultBytesInFlight);
    }

    /** Runs {@code script} with a budget of its own, for callers that do not hold the results long. */
    public ScriptRun run(Caller caller, String script) {
        try (ScriptBudget budget = newBudget()) {
            return run(caller, script, budget);
        }
    }

    /**
     * Parses the whole script (a syntax error anywhere, or more statements than allowed, throws
     * before anything runs), then runs it.
     */
    public ScriptRun run(Caller caller, String script, ScriptBudget budget) {
        return run(caller, Parser.parse(script, limits.maxStatements()), budget);
    }

    /** Runs statements in order until one is refused. Only {@link ServiceException}s are caught. */
    public ScriptRun run(Caller caller, List<ParsedStatement> statements, ScriptBudget budget) {
        List<ScriptRun.StatementResult> results = new ArrayList<>();
        Run run = new Run(caller, budget);
        for (ParsedStatement s : statements) {
            try {
                results.add(new ScriptRun.StatementResult(s, s.statement().accept(run)));
            } catch (ServiceException e) {
                return new ScriptRun(List.copyOf(results), new ScriptRun.Failure(s, e));
            }
        }
        return new ScriptRun(List.copyOf(results), null);
    }

    /** Exact claim matches as a JSON object, keys sorted; null when there are none. */
    static String claimsText(java.util.Map<String, String> claims) {
        if (claims.isEmpty()) return null;
        StringBuilder b = new StringBuilder("{");
        new java.util.TreeMap<>(claims).forEach((k, v) -> {
            if (b.length() > 1) b.append(',');
            b.append(jsonString(k)).append(':').append(jsonString(v));
        });
        return b.append('}').toString();
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    private static String text(java.time.Instant t) {
        return t == null ? null : t.toString();
    }

    /** Items a SHOW reads from a list at a time. */
    private static final int SHOW_PAGE_SIZE = 200;

    static final List<String> SERVICE_ACCOUNT_COLUMNS = List.of(
        "id", "name", "description", "role", "network_policy", "is_organization_admin", "disabled", "created");
    static final List<String> KEY_COLUMNS = List.of(
        "id", "name", "description", "type", "prefix", "created", "expires_at", "last_used_at", "last_used_ip", "restrictions");
    static final List<String> CREATED_KEY_COLUMNS = List.of("id", "name", "type", "expires_at", "key");
    static final List<String> ORGANIZATION_COLUMNS = List.of("name", "network_policy", "service_accounts_require_group",
        "access_token_lifetime_seconds", "max_key_lifetime_days", "dormant_after_days", "on_leak", "require_network_policy");
    static final List<String> GENERATED_SECRET_COLUMNS = List.of("service_account_id", "secret");
    static final List<String> FEDERATION_ISSUER_COLUMNS = List.of(
        "name", "issuer_url", "jwks_uri", "jwks", "max_token_age_seconds", "require_jti", "created");
    static final List<String> WORKLOAD_IDENTITY_COLUMNS = List.of("name", "issuer", "audience", "subject", "subject_prefix", "claims",
        "condition", "token_lifetime_seconds", "last_used_at", "created");

    /** The statements of one script, run for one caller within one budget. */
    private final class Run implements Statement.Visitor<ResultSet> {
        private final Caller caller;
        private final ScriptBudget budget;

        Run(Caller caller, ScriptBudget budget) {
            this.caller = caller;
            this.budget = budget;
        }

        @Override
        public ResultSet createServiceAccount(Statement.CreateServiceAccount s) {
            accounts.create(caller, new NewServiceAccount(s.name(), s.description(), s.role(), s.groups(),
                s.networkPolicy(), s.orgAdmin()), s.ifNotExists(), false);
            return ResultSet.NONE;
        }

        @Override
        public ResultSet alterServiceAccount(AlterServiceAccount s) {
            try {
                if (s.action() instanceof AlterServiceAccount.SetOptions o) {
                    accounts.update(caller, s.name(),
                        new ServiceAccountPatch(null, o.description(), o.role(), null, o.networkPolicy(), o.orgAdmin()));
                } else if (s.action() instanceof AlterServiceAccount.RenameTo r) {
                    accounts.update(caller, s.name(), new ServiceAccountPatch(r.newName(), null, null, null, null, null));
                } else if (s.action() instanceof AlterServiceAccount.AddWorkloadIdentity w) {
                    federation.createCredential(caller, s.name(), new NewFederatedCredential(w.name(), w.issuer(), w.audience(),
                        w.subject(), w.subjectPrefix(), null, w.condition(), w.tokenLifetimeSeconds()));
                } else if (s.action() instanceof AlterServiceAccount.RemoveWorkloadIdentity w) {
                    federation.deleteCredential(caller, s.name(), w.name());
                } else {
                    accounts.setDisabled(caller, s.name(), ((AlterServiceAccount.SetDisabled) s.action()).disabled());
                }
            } catch (ServiceException e) {
                if (!(s.ifExists() && e.code() == ErrorCode.SERVICE_ACCOUNT_NOT_FOUND)) throw e;
            }
            return ResultSet.NONE;
        }

        @Override
        public ResultSet dropServiceAccount(Statement.DropServiceAccount s) {
            try {
                accounts.delete(caller, s.name());
            } catch (ServiceException e) {
                if (!(s.ifExists() && e.code() == ErrorCode.SERVICE_ACCOUNT_NOT_FOUND)) throw e;
            }
            return ResultSet.NONE;
        }

        @Override
        public ResultSet showServiceAccounts(Statement.ShowServiceAccounts s) {
            return new ResultSet(SERVICE_ACCOUNT_COLUMNS, everyPage(
                page -> accounts.list(caller, ServiceAccountFilter.none(), page),
                sa -> Arrays.asList(sa.id(), sa.name(), sa.description(), sa.role(), sa.networkPolicy(),
                    sa.orgAdmin(), sa.disabled(), sa.createdAt())));
        }

        /**
         * The rows of every page of a list, each charged to the budget as it is made. Pages are
         * small so that what a read holds beyond the budget stays small too.
         */
        private <T> List<List<Object>> everyPage(Function<PageRequest, Page<T>> list, Function<T, List<Object>> row) {
            List<List<Object>> rows = new ArrayList<>();
            PageRequest page = PageRequest.first(SHOW_PAGE_SIZE);
            while (true) {
                Page<T> p = list.apply(page);
                for (T item : p.items()) rows.add(budget.charge(row.apply(item)));
                if (p.nextPageToken() == null) return rows;
                page = PageRequest.of(SHOW_PAGE_SIZE, p.nextPageToken());
            }
        }

        /** Firebolt's service account key is the OAuth client secret: a new one replaces the previous at once (no grace). */
        @Override
        public ResultSet generateServiceAccountKey(Statement.GenerateServiceAccountKey s) {
            GeneratedSecret g = secrets.generate(caller, s.serviceAccount(), null);
            return new ResultSet(GENERATED_SECRET_COLUMNS, List.of(budget.count(List.of(g.clientId(), g.clientSecret()))));
        }

        @Override
        public ResultSet createApiKey(Statement.CreateApiKey s) {
            CreatedKey c = keys.create(caller, KeyOwnerRef.serviceAccount(s.serviceAccount()),
                new NewKey(s.name(), s.description(), s.type(), s.ttlSeconds(), null, "type", "ttl", s.restrictions()));
            ApiKey k = c.key();
            return new ResultSet(CREATED_KEY_COLUMNS,
                List.of(budget.count(Arrays.asList(k.id(), k.name(), k.type().wire(), k.expiresAt(), c.secret()))));
        }

        @Override
        public ResultSet showApiKeys(Statement.ShowApiKeys s) {
            List<List<Object>> rows = new ArrayList<>();
            for (ApiKey k : keys.list(caller, KeyOwnerRef.serviceAccount(s.serviceAccount()))) {
                rows.add(budget.charge(Arrays.asList(k.id(), k.name(), k.description(), k.type().wire(), k.prefix(), k.createdAt(),
                    k.expiresAt(), k.lastUsedAt(), k.lastUsedIp(), k.restrictions().toJson())));
            }
            return new ResultSet(KEY_COLUMNS, rows);
        }

        @Override
        public ResultSet alterApiKey(Statement.AlterApiKey s) {
            ApiKey k = keys.update(caller, KeyOwnerRef.serviceAccount(s.serviceAccount()), s.keyId(),
                new KeyUpdate(null, null, s.restrictions()));
            return new ResultSet(KEY_COLUMNS, List.of(budget.charge(Arrays.asList(k.id(), k.name(), k.description(), k.type().wire(),
                k.prefix(), k.createdAt(), k.expiresAt(), k.lastUsedAt(), k.lastUsedIp(), k.restrictions().toJson()))));
        }

        @Override
        public ResultSet revokeApiKey(Statement.RevokeApiKey s) {
            keys.revoke(caller, KeyOwnerRef.serviceAccount(s.serviceAccount()), s.keyId());
            return ResultSet.NONE;
        }

        @Override
        public ResultSet createNetworkPolicy(Statement.CreateNetworkPolicy s) {
            try {
                networkPolicies.create(caller, new NewNetworkPolicy(s.name(), s.description(), orEmpty(s.allowedIps()), orEmpty(s.blockedIps())));
            } catch (ServiceException e) {
                if (!(s.ifNotExists() && e.code() == ErrorCode.NETWORK_POLICY_EXISTS)) throw e;
            }
            return ResultSet.NONE;
        }

        @Override
        public ResultSet alterNetworkPolicy(Statement.AlterNetworkPolicy s) {
            networkPolicies.update(caller, s.name(), new NetworkPolicyPatch(null, s.description(), s.allowedIps(), s.blockedIps()));
            return ResultSet.NONE;
        }

        @Override
        public ResultSet dropNetworkPolicy(Statement.DropNetworkPolicy s) {
            try {
                networkPolicies.delete(caller, s.name());
            } catch (ServiceException e) {
                if (!(s.ifExists() && e.code().status() == 404)) throw e;
            }
            return ResultSet.NONE;
        }

        @Override
        public ResultSet showNetworkPolicies(Statement.ShowNetworkPolicies s) {
            return new ResultSet(List.of("name", "description", "allowed_ip_list", "blocked_ip_list", "created"), everyPage(
                page -> networkPolicies.list(caller, page),
                p -> Arrays.asList(p.name(), p.description(), String.join(",", p.allowedIps()), String.join(",", p.blockedIps()),
                    p.createdAt() == null ? null : p.createdAt().toString())));
        }

        @Override
        public ResultSet alterOrganization(Statement.AlterOrganization s) {
            orgs.update(caller, new OrgService.Patch(null, null, null, null, null, null), s.credentialPolicy());
            return ResultSet.NONE;
        }

        @Override
        public ResultSet showWebhooks(Statement.ShowWebhooks s) {
            return new ResultSet(List.of("id", "url", "events", "description", "disabled", "disabled_reason", "failing_since", "created"),
                everyPage(page -> webhooks.list(caller, page), w -> Arrays.asList(w.id(), w.url(), String.join(",", w.events()),
                    w.description(), w.disabled(), w.disabledReason(), w.failingSince() == null ? null : w.failingSince().toString(),
                    w.createdAt() == null ? null : w.createdAt().toString())));
        }

        @Override
        public ResultSet createFederationIssuer(Statement.CreateFederationIssuer s) {
            try {
                federation.createIssuer(caller, new NewIssuer(s.name(), s.issuerUrl(), s.jwksUri(), s.jwks(), s.maxTokenAgeSeconds(),
                    s.requireJti()));
            } catch (ServiceException e) {
                if (!(s.ifNotExists() && e.code() == ErrorCode.ISSUER_EXISTS)) throw e;
            }
            return ResultSet.NONE;
        }

        @Override
        public ResultSet dropFederationIssuer(Statement.DropFederationIssuer s) {
            try {
                federation.deleteIssuer(caller, s.name());
            } catch (ServiceException e) {
                if (!(s.ifExists() && e.code() == ErrorCode.ISSUER_NOT_FOUND)) throw e;
            }
            return ResultSet.NONE;
        }

        @Override
        public ResultSet showFederationIssuers(Statement.ShowFederationIssuers s) {
            return new ResultSet(FEDERATION_ISSUER_COLUMNS, everyPage(page -> federation.listIssuers(caller, page),
                (FederationIssuer i) -> Arrays.asList(i.name(), i.issuerUrl(), i.jwksUri(), i.jwks(), i.maxTokenAgeSeconds(),
                    i.requireJti(), text(i.createdAt()))));
        }

        @Override
        public ResultSet showWorkloadIdentities(Statement.ShowWorkloadIdentities s) {
            return new ResultSet(WORKLOAD_IDENTITY_COLUMNS, everyPage(page -> federation.listCredentials(caller, s.serviceAccount(), page),
                (FederationService.Named n) -> {
                    FederatedCredential c = n.credential();
                    return Arrays.asList(c.name(), n.issuer(), c.audience(), c.subject(), c.subjectPrefix(),
                        claimsText(c.claims()), c.condition(),
                        c.tokenLifetimeSeconds(), text(c.lastUsedAt()), text(c.createdAt()));
                }));
        }

        @Override
        public ResultSet showOrganization(Statement.ShowOrganization s) {
            OrgService.View v = orgs.get(caller);
            CredentialPolicy p = v.credentialPolicy();
            return new ResultSet(ORGANIZATION_COLUMNS, List.of(Arrays.asList(v.org().name(), v.networkPolicy(),
                v.settings().serviceAccountsRequireGroup(), v.settings().accessTokenLifetimeSeconds(),
                p.maxKeyLifetimeDays() == null ? null : (Object) p.maxKeyLifetimeDays().longValue(),
                p.dormantAfterDays() == null ? null : (Object) p.dormantAfterDays().longValue(), p.onLeak().wire(), p.requireNetworkPolicy())));
        }

        @Override
        public ResultSet createUser(Statement.CreateUser s) {
            workspaces.createUser(caller, s.workspace(), new WorkspaceService.NewUser(s.name(), s.serviceAccount(), s.login(),
                s.defaultDatabase(), s.defaultEngine()), s.ifNotExists());
            return ResultSet.NONE;
        }

        @Override
        public ResultSet alterUser(Statement.AlterUser s) {
            WorkspaceService.UserPatch p = switch (s.setting()) {
                case SERVICE_ACCOUNT -> new WorkspaceService.UserPatch(java.util.Optional.ofNullable(s.value()), null, null, null);
                case DEFAULT_DATABASE -> new WorkspaceService.UserPatch(null, null, s.value(), null);
                case DEFAULT_ENGINE -> new WorkspaceService.UserPatch(null, null, null, s.value());
            };
            workspaces.updateUser(caller, s.workspace(), s.name(), p);
            return ResultSet.NONE;
        }

        @Override
        public ResultSet dropUser(Statement.DropUser s) {
            workspaces.deleteUser(caller, s.workspace(), s.name(), s.ifExists());
            return ResultSet.NONE;
        }

        @Override
        public ResultSet showUsers(Statement.ShowUsers s) {
            return new ResultSet(List.of("name", "workspace", "service_account", "login", "default_database", "default_engine", "created"),
                everyPage(page -> workspaces.listUsers(caller, s.workspace(), page),
                    (WorkspaceUser u) -> Arrays.asList(u.name(), u.workspace(), u.serviceAccount(), u.login(), u.defaultDatabase(),
                        u.defaultEngine(), u.createdAt() == null ? null : u.createdAt().toString())));
        }
    }
}
