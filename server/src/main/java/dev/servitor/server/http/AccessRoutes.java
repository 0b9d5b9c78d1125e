// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import dev.servitor.access.AccessService;
import dev.servitor.access.Group;
import dev.servitor.access.Role;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code /v1/roles} and {@code /v1/groups}: parse, one service call, render. */
final class AccessRoutes {
    private static final Set<String> ROLE_FIELDS = Set.of("name", "description", "permissions");
    private static final Set<String> GROUP_FIELDS = Set.of("name", "description", "roles");
    private final AccessService access;

    AccessRoutes(AccessService access) {
        this.access = access;
    }

    void register(JavalinConfig config) {
        config.routes.post("/v1/roles", ctx -> {
            JsonBody b = JsonBody.read(ctx, ROLE_FIELDS);
            Json.write(ctx, 201, roleJson(access.createRole(caller(ctx), b.string("name"), b.string("description"), b.strings("permissions"))));
        });
        config.routes.get("/v1/roles", ctx -> Json.write(ctx, 200,
            ListResponse.of("roles", access.listRoles(caller(ctx), QueryParams.page(ctx)), AccessRoutes::roleJson)));
        config.routes.get("/v1/roles/{name}", ctx -> Json.write(ctx, 200, roleJson(access.getRole(caller(ctx), ctx.pathParam("name")))));
        config.routes.patch("/v1/roles/{name}", ctx -> {
            JsonBody b = JsonBody.read(ctx, Set.of("description", "permissions"));
            Json.write(ctx, 200, roleJson(access.updateRole(caller(ctx), ctx.pathParam("name"), b.string("description"), b.strings("permissions"))));
        });
        config.routes.delete("/v1/roles/{name}", ctx -> {
            access.deleteRole(caller(ctx), ctx.pathParam("name"));
            ctx.status(204);
        });
        config.routes.post("/v1/groups", ctx -> {
            JsonBody b = JsonBody.read(ctx, GROUP_FIELDS);
            Json.write(ctx, 201, groupJson(access.createGroup(caller(ctx), b.string("name"), b.string("description"), b.strings("roles"))));
        });
        config.routes.get("/v1/groups", ctx -> Json.write(ctx, 200,
            ListResponse.of("groups", access.listGroups(caller(ctx), QueryParams.page(ctx)), AccessRoutes::groupJson)));
        config.routes.get("/v1/groups/{name}", ctx -> Json.write(ctx, 200, groupJson(access.getGroup(caller(ctx), ctx.pathParam("name")))));
        config.routes.patch("/v1/groups/{name}", this::updateGroup);
        config.routes.delete("/v1/groups/{name}", ctx -> {
            access.deleteGroup(caller(ctx), ctx.pathParam("name"));
            ctx.status(204);
        });
    }

    private void updateGroup(Context ctx) {
        JsonBody b = JsonBody.read(ctx, GROUP_FIELDS);
        Json.write(ctx, 200, groupJson(access.updateGroup(caller(ctx), ctx.pathParam("name"), b.string("name"),
            b.string("description"), b.strings("roles"))));
    }

    private static Map<String, Object> roleJson(Role r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("description", r.description());
        m.put("permissions", r.permissions());
        m.put("built_in", r.builtIn());
        return m;
    }

    private static Map<String, Object> groupJson(Group g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("name", g.name());
        m.put("description", g.description());
        m.put("roles", g.roles());
        m.put("created_at", g.createdAt().toString());
        m.put("updated_at", g.updatedAt().toString());
        return m;
    }
}
