// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.caller.Caller;
import dev.servitor.caller.Permissions;
import dev.servitor.authz.Authorizer;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Who may call each {@code /v1} route: one rule per route (method and path template), decided by
 * the core {@link Authorizer}, which audits every refusal. The {@link CredentialGate} asks it once
 * the caller is authenticated, before the handler reads the body or the query: the contract's
 * refusal order (401, then 403, then 400/422, then 404/409). A route without a rule is refused,
 * so a new route cannot slip past ({@code PermissionGateTest} walks the server's route table).
 */
final class RoutePermissions {
    /** Routes every authenticated caller may call; their handlers need nothing more. */
    static final Set<String> OPEN = Set.of("GET /v1/whoami", "DELETE /v1/session", "POST /v1/session");
    /**
     * Routes called without any credential, which the gate does not authenticate at all (a
     * credential sent along is ignored): GitHub's signed leak reports and anyone's. Their
     * handlers never tell whether a credential exists except to a caller GitHub's signature proves.
     */
    static final Set<String> ANONYMOUS = Set.of("POST " + LeakRoutes.GITHUB, "POST " + LeakRoutes.REPORT);

    private interface Rule {
        /** {@code pathParams}: the value of each path parameter of the request, by name. */
        void check(Authorizer authorizer, Caller caller, UnaryOperator<String> pathParams);
    }

    private final Authorizer authorizer;
    private final Map<String, Rule> rules = new HashMap<>();

    RoutePermissions(Authorizer authorizer) {
        this.authorizer = authorizer;
        String sa = "/v1/service-accounts";
        admin("POST " + sa, "service_account.create", "service_account:*");
        admin("GET " + sa, "service_account.list", "service_account:*");
        admin("GET " + sa + "/{name}", "service_account.get", "service_account:{name}");
        admin("PATCH " + sa + "/{name}", "service_account.update", "service_account:{name}");
        admin("DELETE " + sa + "/{name}", "service_account.delete", "service_account:{name}");
        admin("POST " + sa + "/{name}/disable", "service_account.disable", "service_account:{name}");
        admin("POST " + sa + "/{name}/enable", "service_account.enable", "service_account:{name}");
        admin("POST " + sa + "/{name}/impersonate", "impersonation.start", "service_account:{name}");
        admin("POST " + sa + "/{name}/secret", "secret.generate", "service_account:{name}");
        admin("GET " + sa + "/{name}/instances", "compute.get", "service_account:{name}");
        admin("PUT " + sa + "/{name}/instances", "compute.update", "service_account:{name}");
        admin("POST " + sa + "/{name}/keys", "key.create", "service_account:{name}");
        admin("GET " + sa + "/{name}/keys", "key.list", "service_account:{name}");
        admin("DELETE " + sa + "/{name}/keys/{key_id}", "key.revoke", "service_account:{name}");
        admin("POST " + sa + "/{name}/keys/{key_id}/rotate", "key.rotate", "service_account:{name}");
        admin("PATCH " + sa + "/{name}/keys/{key_id}", "key.update", "service_account:{name}");
        admin("POST " + sa + "/{name}/public-keys", "public_key.create", "service_account:{name}");
        admin("GET " + sa + "/{name}/public-keys", "public_key.list", "service_account:{name}");
        admin("GET " + sa + "/{name}/public-keys/{kid}", "public_key.get", "service_account:{name}");
        admin("DELETE " + sa + "/{name}/public-keys/{kid}", "public_key.delete", "service_account:{name}");
        for (String[] resource : new String[][] {{"group", "/v1/groups"}, {"role", "/v1/roles"}, {"network_policy", "/v1/network-policies"}}) {
            String kind = resource[0];
            String base = resource[1];
            admin("POST " + base, kind + ".create", kind + ":*");
            admin("GET " + base, kind + ".list", kind + ":*");
            admin("GET " + base + "/{name}", kind + ".get", kind + ":{name}");
            admin("PATCH " + base + "/{name}", kind + ".update", kind + ":{name}");
            admin("DELETE " + base + "/{name}", kind + ".delete", kind + ":{name}");
        }
        String fc = FederationRoutes.CREDENTIALS;
        admin("POST " + fc, "federation.credential.create", "service_account:{name}");
        admin("GET " + fc, "federation.credential.list", "service_account:{name}");
        admin("GET " + fc + "/{fc}", "federation.credential.get", "service_account:{name}");
        admin("PATCH " + fc + "/{fc}", "federation.credential.update", "service_account:{name}");
        admin("DELETE " + fc + "/{fc}", "federation.credential.delete", "service_account:{name}");
        String fi = FederationRoutes.ISSUERS;
        admin("POST " + fi, "federation.issuer.create", "federation_issuer:*");
        admin("GET " + fi, "federation.issuer.list", "federation_issuer:*");
        admin("GET " + fi + "/{issuer}", "federation.issuer.get", "federation_issuer:{issuer}");
        admin("PATCH " + fi + "/{issuer}", "federation.issuer.update", "federation_issuer:{issuer}");
        admin("DELETE " + fi + "/{issuer}", "federation.issuer.delete", "federation_issuer:{issuer}");
        admin("POST /v1/workspaces", "workspace.create", "workspace:*");
        admin("GET /v1/workspaces", "workspace.list", "workspace:*");
        admin("GET /v1/workspaces/{ws}", "workspace.get", "workspace:{ws}");
        admin("DELETE /v1/workspaces/{ws}", "workspace.delete", "workspace:{ws}");
        admin("POST /v1/workspaces/{ws}/users", "workspace.user_create", "workspace:{ws}");
        admin("GET /v1/workspaces/{ws}/users", "workspace.user_list", "workspace:{ws}");
        admin("GET /v1/workspaces/{ws}/users/{name}", "workspace.user_get", "workspace:{ws}");
        admin("PATCH /v1/workspaces/{ws}/users/{name}", "workspace.user_update", "workspace:{ws}");
        admin("DELETE /v1/workspaces/{ws}/users/{name}", "workspace.user_delete", "workspace:{ws}");
        admin("GET /v1/audit-events", "audit.list", "audit");
        admin("GET /v1/audit-events/verify", "audit.verify", "audit");
        admin("GET /v1/org", "org.get", "org");
        admin("PATCH /v1/org", "org.update", "org");
        admin("POST /v1/users", "user.create", "user:*");
        admin("GET /v1/users", "user.list", "user:*");
        admin("POST /v1/sql", "sql.run", "sql");
        String wh = WebhookRoutes.BASE;
        admin("POST " + wh, "webhook.create", "webhook:*");
        admin("GET " + wh, "webhook.list", "webhook:*");
        admin("GET " + wh + "/{id}", "webhook.get", "webhook:{id}");
        admin("PATCH " + wh + "/{id}", "webhook.update", "webhook:{id}");
        admin("DELETE " + wh + "/{id}", "webhook.delete", "webhook:{id}");
        admin("POST " + wh + "/{id}/rotate-secret", "webhook.rotate_secret", "webhook:{id}");
        admin("POST " + wh + "/{id}/test", "webhook.test", "webhook:{id}");
        admin("GET " + wh + "/{id}/deliveries", "webhook.deliveries", "webhook:{id}");
        admin("POST " + wh + "/{id}/deliveries/{delivery_id}/retry", "webhook.retry", "webhook:{id}");
        selfOrAdmin("GET /v1/users/{username}", "user.get", "username");
        selfOrAdmin("PATCH /v1/users/{username}", "user.update", "username");
        selfOrAdmin("DELETE /v1/users/{username}", "user.delete", "username");
        selfOrAdmin("POST /v1/users/{name}/keys", "key.create", "name");
        selfOrAdmin("GET /v1/users/{name}/keys", "key.list", "name");
        selfOrAdmin("DELETE /v1/users/{name}/keys/{key_id}", "key.revoke", "name");
        selfOrAdmin("POST /v1/users/{name}/keys/{key_id}/rotate", "key.rotate", "name");
        selfOrAdmin("PATCH /v1/users/{name}/keys/{key_id}", "key.update", "name");
        rules.put("POST /v1/orgs", (a, c, params) -> a.requireOperator(c, "org.create", "org:*"));
        rules.put("GET /v1/orgs", (a, c, params) -> a.requireOperator(c, "org.list", "org:*"));
        rules.put(VerifyEndpoint.ROUTE, (a, c, params) -> a.requirePermission(c, Permissions.VERIFY, "credential.verify", "verify"));
        // the gateway's own key at /v1/forward-auth (any method): the same permission as /v1/verify
        rules.put(ForwardAuth.GATEWAY_ROUTE, (a, c, params) -> a.requirePermission(c, Permissions.VERIFY, "credential.verify", "forward-auth"));
    }

    private void admin(String route, String action, String target) {
        rules.put(route, (a, c, params) -> a.requireOrgAdmin(c, action, fill(target, params)));
    }

    private void selfOrAdmin(String route, String action, String userParam) {
        rules.put(route, (a, c, params) -> {
            String username = params.apply(userParam);
            a.requireSelfOrOrgAdmin(c, username, action, "user:" + username);
        });
    }

    /** The audit target with the route's path parameter in it. */
    private static String fill(String target, UnaryOperator<String> params) {
        int open = target.indexOf('{');
        if (open < 0) return target;
        String param = target.substring(open + 1, target.indexOf('}'));
        return target.substring(0, open) + params.apply(param);
    }

    /** Whether a route has a rule or is open: every {@code /v1} route must. */
    boolean covers(String method, String path) {
        String key = method + " " + path;
        return OPEN.contains(key) || ANONYMOUS.contains(key) || rules.containsKey(key);
    }

    /**
     * Throws the 403 (audited by the {@link Authorizer}) when {@code caller} may not call
     * {@code route} ("METHOD /path/{template}"); a {@code /v1} route without a rule is nobody's.
     */
    void check(String route, Caller caller, UnaryOperator<String> pathParams) {
        if (OPEN.contains(route) || ANONYMOUS.contains(route)) return;
        Rule rule = rules.get(route);
        if (rule == null) {
            // fail closed: a route nobody gave a rule is nobody's
            throw new ServiceException(ErrorCode.FORBIDDEN, "No one may call " + route + " yet");
        }
        rule.check(authorizer, caller, pathParams);
    }
}
