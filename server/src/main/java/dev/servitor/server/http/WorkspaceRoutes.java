// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import dev.servitor.workspace.Workspace;
import dev.servitor.workspace.WorkspaceService;
import dev.servitor.workspace.WorkspaceUser;
import io.javalin.config.JavalinConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /v1/workspaces} and their users, linked to service accounts (Firebolt). */
final class WorkspaceRoutes {
    private static final Set<String> USER_FIELDS = Set.of("name", "service_account", "login", "default_database", "default_engine");
    private final WorkspaceService workspaces;

    WorkspaceRoutes(WorkspaceService workspaces) {
        this.workspaces = workspaces;
    }

    void register(JavalinConfig config) {
        config.routes.post("/v1/workspaces", ctx -> Json.write(ctx, 201,
            json(workspaces.create(caller(ctx), JsonBody.read(ctx, Set.of("name")).string("name")))));
        config.routes.get("/v1/workspaces", ctx -> Json.write(ctx, 200,
            ListResponse.of("workspaces", workspaces.list(caller(ctx), QueryParams.page(ctx)), WorkspaceRoutes::json)));
        config.routes.get("/v1/workspaces/{ws}", ctx -> Json.write(ctx, 200, json(workspaces.get(caller(ctx), ctx.pathParam("ws")))));
        config.routes.delete("/v1/workspaces/{ws}", ctx -> {
            workspaces.delete(caller(ctx), ctx.pathParam("ws"));
            ctx.status(204);
        });
        config.routes.post("/v1/workspaces/{ws}/users", ctx -> {
            JsonBody b = JsonBody.read(ctx, USER_FIELDS);
            WorkspaceUser u = workspaces.createUser(caller(ctx), ctx.pathParam("ws"), new WorkspaceService.NewUser(b.string("name"),
                b.string("service_account"), b.string("login"), b.string("default_database"), b.string("default_engine")), false);
            Json.write(ctx, 201, json(u));
        });
        config.routes.get("/v1/workspaces/{ws}/users", ctx -> Json.write(ctx, 200,
            ListResponse.of("users", workspaces.listUsers(caller(ctx), ctx.pathParam("ws"), QueryParams.page(ctx)), WorkspaceRoutes::json)));
        config.routes.get("/v1/workspaces/{ws}/users/{name}", ctx -> Json.write(ctx, 200,
            json(workspaces.getUser(caller(ctx), ctx.pathParam("ws"), ctx.pathParam("name")))));
        config.routes.patch("/v1/workspaces/{ws}/users/{name}", ctx -> {
            JsonBody b = JsonBody.read(ctx, Set.of("service_account", "login", "default_database", "default_engine"));
            Optional<String> sa = b.has("service_account") ? Optional.ofNullable(b.string("service_account")) : null;
            Json.write(ctx, 200, json(workspaces.updateUser(caller(ctx), ctx.pathParam("ws"), ctx.pathParam("name"),
                new WorkspaceService.UserPatch(sa, b.string("login"), b.string("default_database"), b.string("default_engine")))));
        });
        config.routes.delete("/v1/workspaces/{ws}/users/{name}", ctx -> {
            workspaces.deleteUser(caller(ctx), ctx.pathParam("ws"), ctx.pathParam("name"), false);
            ctx.status(204);
        });
    }

    private static Map<String, Object> json(Workspace w) {
        return Map.of("id", w.id(), "name", w.name(), "created_at", w.createdAt().toString());
    }

    private static Map<String, Object> json(WorkspaceUser u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("workspace", u.workspace());
        m.put("name", u.name());
        m.put("service_account", u.serviceAccount());
        m.put("login", u.login());
        m.put("default_database", u.defaultDatabase());
        m.put("default_engine", u.defaultEngine());
        m.put("created_at", u.createdAt().toString());
        m.put("updated_at", u.updatedAt().toString());
        return m;
    }
}
