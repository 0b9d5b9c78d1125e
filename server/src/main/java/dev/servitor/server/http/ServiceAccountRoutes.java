// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import dev.servitor.account.NewServiceAccount;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountFilter;
import dev.servitor.account.ServiceAccountPatch;
import dev.servitor.account.ServiceAccountService;
import dev.servitor.caller.Caller;
import dev.servitor.common.Page;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;

/** {@code /v1/service-accounts}: parse, one service call, render. */
final class ServiceAccountRoutes {
    private static final Set<String> CREATE_FIELDS =
        Set.of("name", "description", "role", "groups", "network_policy", "is_org_admin", "issue_key");
    private static final Set<String> PATCH_FIELDS =
        Set.of("name", "description", "role", "groups", "network_policy", "is_org_admin");

    private final ServiceAccountService accounts;

    ServiceAccountRoutes(ServiceAccountService accounts) {
        this.accounts = accounts;
    }

    void register(JavalinConfig config) {
        config.routes.post("/v1/service-accounts", this::create);
        config.routes.get("/v1/service-accounts", this::list);
        config.routes.get("/v1/service-accounts/{name}", this::get);
        config.routes.patch("/v1/service-accounts/{name}", this::update);
        config.routes.post("/v1/service-accounts/{name}/disable", ctx -> setDisabled(ctx, true));
        config.routes.post("/v1/service-accounts/{name}/enable", ctx -> setDisabled(ctx, false));
        config.routes.delete("/v1/service-accounts/{name}", this::delete);
    }

    private void create(Context ctx) {
        JsonBody b = JsonBody.read(ctx, CREATE_FIELDS);
        boolean ifNotExists = Boolean.TRUE.equals(QueryParams.bool(ctx, "if_not_exists"));
        NewServiceAccount req = new NewServiceAccount(b.string("name"), b.string("description"), b.string("role"),
            b.strings("groups"), b.string("network_policy"), b.bool("is_org_admin"));
        ServiceAccountService.Created created = accounts.create(caller(ctx), req, ifNotExists, Boolean.TRUE.equals(b.bool("issue_key")));
        ServiceAccountResponse.IssuedKey key = created.key() == null ? null
            : new ServiceAccountResponse.IssuedKey(created.key().key().id(), created.key().key().name(), created.key().secret());
        Json.writeSecret(ctx, created.created() ? 201 : 200, render(caller(ctx), created.account(), key)); // issue_key: a secret
    }

    private void list(Context ctx) {
        ServiceAccountFilter filter = new ServiceAccountFilter(QueryParams.string(ctx, "q"), QueryParams.string(ctx, "role"),
            QueryParams.string(ctx, "group"), QueryParams.bool(ctx, "disabled"), QueryParams.string(ctx, "unlinked_in"));
        Caller caller = caller(ctx);
        Page<ServiceAccount> page = accounts.list(caller, filter, QueryParams.page(ctx));
        Json.write(ctx, 200, ListResponse.of("service_accounts", page, sa -> render(caller, sa, null)));
    }

    private void get(Context ctx) {
        Json.write(ctx, 200, render(caller(ctx), accounts.get(caller(ctx), ctx.pathParam("name")), null));
    }

    private void update(Context ctx) {
        JsonBody b = JsonBody.read(ctx, PATCH_FIELDS);
        Optional<String> policy = b.has("network_policy") ? Optional.ofNullable(b.string("network_policy")) : null;
        ServiceAccountPatch patch = new ServiceAccountPatch(b.string("name"), b.string("description"), b.string("role"),
            b.strings("groups"), policy, b.bool("is_org_admin"));
        Json.write(ctx, 200, render(caller(ctx), accounts.update(caller(ctx), ctx.pathParam("name"), patch), null));
    }

    private void setDisabled(Context ctx, boolean disabled) {
        JsonBody.read(ctx, Set.of());
        Json.write(ctx, 200, render(caller(ctx), accounts.setDisabled(caller(ctx), ctx.pathParam("name"), disabled), null));
    }

    private void delete(Context ctx) {
        accounts.delete(caller(ctx), ctx.pathParam("name"));
        ctx.status(204);
    }

    private ServiceAccountResponse render(Caller caller, ServiceAccount sa, ServiceAccountResponse.IssuedKey key) {
        return ServiceAccountResponse.of(sa, accounts.email(caller, sa), key);
    }
}
