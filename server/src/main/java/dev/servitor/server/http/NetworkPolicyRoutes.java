// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import dev.servitor.network.NetworkPolicyPatch;
import dev.servitor.network.NetworkPolicyService;
import dev.servitor.network.NewNetworkPolicy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/** {@code /v1/network-policies}: parse, one service call, render. */
final class NetworkPolicyRoutes {
    private static final Set<String> FIELDS = Set.of("name", "description", "allowed_ips", "blocked_ips");

    private final NetworkPolicyService policies;

    NetworkPolicyRoutes(NetworkPolicyService policies) {
        this.policies = policies;
    }

    void register(JavalinConfig config) {
        config.routes.post("/v1/network-policies", this::create);
        config.routes.get("/v1/network-policies", this::list);
        config.routes.get("/v1/network-policies/{name}", ctx ->
            Json.write(ctx, 200, NetworkPolicyResponse.of(policies.get(caller(ctx), ctx.pathParam("name")))));
        config.routes.patch("/v1/network-policies/{name}", this::update);
        config.routes.delete("/v1/network-policies/{name}", this::delete);
    }

    private void create(Context ctx) {
        JsonBody b = JsonBody.read(ctx, FIELDS);
        NewNetworkPolicy req = new NewNetworkPolicy(b.string("name"), b.string("description"), b.strings("allowed_ips"),
            b.strings("blocked_ips"));
        Json.write(ctx, 201, NetworkPolicyResponse.of(policies.create(caller(ctx), req)));
    }

    private void list(Context ctx) {
        Json.write(ctx, 200, ListResponse.of("network_policies", policies.list(caller(ctx), QueryParams.page(ctx)), NetworkPolicyResponse::of));
    }

    private void update(Context ctx) {
        JsonBody b = JsonBody.read(ctx, FIELDS);
        // JSON null for a list clears it, as an empty list does
        List<String> allowed = b.isNull("allowed_ips") ? List.of() : b.strings("allowed_ips");
        List<String> blocked = b.isNull("blocked_ips") ? List.of() : b.strings("blocked_ips");
        NetworkPolicyPatch patch = new NetworkPolicyPatch(b.string("name"), b.string("description"), allowed, blocked);
        Json.write(ctx, 200, NetworkPolicyResponse.of(policies.update(caller(ctx), ctx.pathParam("name"), patch)));
    }

    private void delete(Context ctx) {
        policies.delete(caller(ctx), ctx.pathParam("name"));
        ctx.status(204);
    }
}
