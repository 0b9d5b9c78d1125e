// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import dev.servitor.org.OrgService;
import dev.servitor.directory.Organization;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code /v1/orgs} (instance operators) and {@code /v1/org} (the caller's organization). */
final class OrgRoutes {
    private static final Set<String> CREATE_FIELDS = Set.of("name", "admin_username", "admin_email");
    private static final Set<String> PATCH_FIELDS = Set.of("service_accounts_require_group", "access_token_lifetime_seconds", "quotas",
        "network_policy");
    private static final Set<String> QUOTA_FIELDS = Set.of("max_service_accounts", "max_keys_per_service_account", "max_keys_per_user");

    private final OrgService orgs;

    OrgRoutes(OrgService orgs) {
        this.orgs = orgs;
    }

    void register(JavalinConfig config) {
        config.routes.post("/v1/orgs", this::create);
        config.routes.get("/v1/orgs", ctx -> Json.write(ctx, 200,
            ListResponse.of("orgs", orgs.list(caller(ctx), QueryParams.page(ctx)), OrgRoutes::orgJson)));
        config.routes.get("/v1/org", ctx -> Json.write(ctx, 200, viewJson(orgs.get(caller(ctx)))));
        config.routes.patch("/v1/org", this::update);
    }

    private void create(Context ctx) {
        JsonBody b = JsonBody.read(ctx, CREATE_FIELDS);
        OrgService.Created c = orgs.create(caller(ctx), b.string("name"), b.string("admin_username"), b.string("admin_email"));
        Json.writeSecret(ctx, 201, Map.of("org", orgJson(c.org()), "admin_key", c.adminKey()));
    }

    private void update(Context ctx) {
        JsonBody b = JsonBody.read(ctx, PATCH_FIELDS);
        JsonBody q = b.object("quotas", QUOTA_FIELDS);
        OrgService.Patch p = new OrgService.Patch(b.bool("service_accounts_require_group"), b.integer("access_token_lifetime_seconds"),
            q.intValue("max_service_accounts"), q.intValue("max_keys_per_service_account"), q.intValue("max_keys_per_user"),
            b.has("network_policy") ? java.util.Optional.ofNullable(b.string("network_policy")) : null);
        Json.write(ctx, 200, viewJson(orgs.update(caller(ctx), p)));
    }

    private static Map<String, Object> orgJson(Organization o) {
        return Map.of("id", o.id(), "name", o.name(), "created_at", o.createdAt().toString());
    }

    private static Map<String, Object> viewJson(OrgService.View v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.org().id());
        m.put("name", v.org().name());
        m.put("network_policy", v.networkPolicy());
        m.put("service_accounts_require_group", v.settings().serviceAccountsRequireGroup());
        m.put("access_token_lifetime_seconds", v.settings().accessTokenLifetimeSeconds());
        m.put("quotas", Map.of("max_service_accounts", v.settings().maxServiceAccounts(),
            "max_keys_per_service_account", v.settings().maxKeysPerServiceAccount(),
            "max_keys_per_user", v.settings().maxKeysPerUser()));
        m.put("usage", v.usage());
        m.put("created_at", v.org().createdAt().toString());
        return m;
    }
}
