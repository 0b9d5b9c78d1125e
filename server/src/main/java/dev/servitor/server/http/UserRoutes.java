// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.authn.SessionService;
import dev.servitor.directory.User;
import dev.servitor.user.UserService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code /v1/users} (human users; never service accounts) and {@code /v1/session} (console log-in). */
final class UserRoutes {
    private static final Set<String> CREATE_FIELDS = Set.of("username", "email", "password", "role", "is_org_admin", "network_policy");
    private static final Set<String> PATCH_FIELDS =
        Set.of("email", "password", "current_password", "role", "is_org_admin", "disabled", "network_policy");
    private final UserService users;
    private final SessionService sessions;
    private final boolean secureCookies;
    private final CredentialGate gate;
    private final SameOrigin sameOrigin;

    UserRoutes(UserService users, SessionService sessions, CredentialGate gate, String publicUrl) {
        this.gate = gate;
        this.users = users;
        this.sessions = sessions;
        this.secureCookies = publicUrl != null && publicUrl.startsWith("https:");
        this.sameOrigin = new SameOrigin(publicUrl);
    }

    void register(JavalinConfig config) {
        config.routes.post("/v1/users", ctx -> {
            JsonBody b = JsonBody.read(ctx, CREATE_FIELDS);
            User u = users.create(caller(ctx), new UserService.NewUser(b.string("username"), b.string("email"), b.string("password"),
                b.string("role"), b.bool("is_org_admin"), b.string("network_policy")));
            Json.write(ctx, 201, json(u));
        });
        config.routes.get("/v1/users", ctx -> Json.write(ctx, 200, ListResponse.of("users", users.list(caller(ctx), QueryParams.page(ctx)), this::json)));
        config.routes.get("/v1/users/{username}", ctx -> Json.write(ctx, 200, json(users.get(caller(ctx), ctx.pathParam("username")))));
        config.routes.patch("/v1/users/{username}", ctx -> {
            JsonBody b = JsonBody.read(ctx, PATCH_FIELDS);
            String username = ctx.pathParam("username");
            UserService.Patch p = new UserService.Patch(b.string("email"), b.string("password"), b.string("current_password"),
                b.string("role"), b.bool("is_org_admin"), b.bool("disabled"),
                b.has("network_policy") ? java.util.Optional.ofNullable(b.string("network_policy")) : null);
            // a current password sent is a password guess: limited like log-ins
            User u = p.currentPassword() == null ? users.update(caller(ctx), username, p)
                : gate.currentPasswordCheck(ctx, username, ip -> users.update(caller(ctx), username, p));
            Json.write(ctx, 200, json(u));
        });
        config.routes.delete("/v1/users/{username}", ctx -> {
            users.delete(caller(ctx), ctx.pathParam("username"));
            ctx.status(204);
        });
        config.routes.post("/v1/session", this::login);
        config.routes.delete("/v1/session", ctx -> {
            sessions.logout(caller(ctx));
            ctx.removeCookie(CredentialGate.SESSION_COOKIE, "/");
            ctx.status(204);
        });
    }

    /**
     * Refuses a log-in that a browser sends from another site (403; login CSRF) or that is not
     * JSON (415), before anything else: a cross-site form can post {@code text/plain} but
     * never {@code application/json} without the browser asking first.
     */
    private void login(Context ctx) {
        if (!sameOrigin.allows(ctx)) {
            throw new ServiceException(ErrorCode.FORBIDDEN, "Cross-origin log-in refused: log in from Servitor's own console");
        }
        String type = ctx.contentType();
        if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase("application/json")) {
            throw new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the log-in as Content-Type: application/json", "body", null);
        }
        JsonBody b = JsonBody.read(ctx, Set.of("username", "password", "org"));
        String username = b.string("username");
        SessionService.Started s = gate.login(ctx, username,
            ip -> sessions.login(username, b.string("password"), b.string("org"), ip));
        Cookie cookie = new Cookie(CredentialGate.SESSION_COOKIE, s.token());
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.STRICT);
        cookie.setSecure(secureCookies || "https".equals(ctx.scheme()));
        cookie.setMaxAge((int) Duration.between(s.session().createdAt(), s.session().expiresAt()).toSeconds());
        ctx.cookie(cookie);
        Json.noStore(ctx); // the cookie is a session token
        ctx.status(204);
    }

    private Map<String, Object> json(User u) {
        Map<String, Object> m = listJson(u);
        m.put("network_policy", users.networkPolicyOf(u));
        return m;
    }

    private static Map<String, Object> listJson(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("username", u.username());
        m.put("email", u.email());
        m.put("role", u.role());
        m.put("is_org_admin", u.orgAdmin());
        m.put("disabled", u.disabled());
        m.put("created_at", u.createdAt().toString());
        m.put("updated_at", u.updatedAt().toString());
        return m;
    }
}
