// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.TestServer;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.TestDatabases.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every /v1 endpoint, taken from the server's own route table (so a new one cannot be
 * forgotten), against every kind of caller: the presenters of a bad credential get the one
 * 401; a plain service account gets 403 except on its few self-service calls; an org admin of
 * another organization gets 404 for anything of this one and never sees it; org admins and the
 * operator are let through.
 */
class AuthorizationMatrixTest {
    static TestServer server;
    static String admin;
    static String plain;
    static String revoked;
    static String disabled;
    static String otherAdmin;
    static String orgAdminUser;
    static Map<String, String> params;

    /** A P-256 public key (RFC 7515 appendix A.3's) named "target-kid", for the public-key routes. */
    static final String PUBLIC_JWK = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"target-kid\","
        + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\",\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";

    /** Calls a plain service account may make; every other /v1 call answers it 403. */
    static final Map<String, Set<Integer>> PLAIN_ALLOWED = Map.of(
        "GET /v1/whoami", Set.of(200),
        "DELETE /v1/session", Set.of(422)); // a key is not a console session

    @BeforeAll
    static void start() {
        // the failed-authentication limits are raised: this test fails on purpose, hundreds of times
        server = TestServer.start(Engine.SQLITE, c -> c.withAccess(new dev.servitor.config.ServitorConfig.Access(
            c.access().instanceSizes(), 1_000_000, 1_000_000)));
        admin = server.adminKey();
        server.post("/v1/service-accounts", admin, "{\"name\":\"target-sa\"}").expect(201);
        String keyId = server.post("/v1/service-accounts/target-sa/keys", admin, "{\"name\":\"k\"}").expect(201).json().get("id").asText();
        server.post("/v1/service-accounts/target-sa/public-keys", admin, "{\"jwk\":" + PUBLIC_JWK + "}").expect(201);
        server.post("/v1/users", admin, "{\"username\":\"target-user\",\"email\":\"t@example.com\"}").expect(201);
        server.post("/v1/roles", admin, "{\"name\":\"target-role\",\"permissions\":[\"x:read\"]}").expect(201);
        server.post("/v1/groups", admin, "{\"name\":\"target-group\",\"roles\":[\"target-role\"]}").expect(201);
        server.post("/v1/network-policies", admin, "{\"name\":\"target-policy\",\"allowed_ips\":[\"0.0.0.0/0\",\"::/0\"]}").expect(201);
        server.post("/v1/workspaces", admin, "{\"name\":\"target-ws\"}").expect(201);
        server.post("/v1/federation/issuers", admin, "{\"name\":\"target-issuer\",\"issuer_url\":\"https://issuer.example\"}").expect(201);
        server.post("/v1/service-accounts/target-sa/federated-credentials", admin,
            "{\"name\":\"target-fc\",\"issuer\":\"target-issuer\",\"audience\":\"a\"}").expect(201);
        server.post("/v1/workspaces/target-ws/users", admin, "{\"name\":\"target-wsuser\"}").expect(201);
        server.createServiceAccount("plain-sa");
        plain = server.createKey("plain-sa", "k");
        server.createServiceAccount("revoked-sa");
        revoked = server.createKey("revoked-sa", "k");
        server.delete("/v1/service-accounts/revoked-sa", admin).expect(204);
        server.createServiceAccount("disabled-sa");
        disabled = server.createKey("disabled-sa", "k");
        server.post("/v1/service-accounts/disabled-sa/disable", admin, null).expect(200);
        server.post("/v1/service-accounts", admin, "{\"name\":\"admin-sa\",\"is_org_admin\":true}").expect(201);
        orgAdminUser = server.createKey("admin-sa", "k");
        otherAdmin = server.post("/v1/orgs", admin, "{\"name\":\"other\",\"admin_username\":\"boss\",\"admin_email\":\"b@other.example\"}")
            .expect(201).json().get("admin_key").asText();
        String webhook = server.post("/v1/webhooks", admin, "{\"url\":\"https://example.com/hook\",\"events\":[\"*\"]}")
            .expect(201).json().get("id").asText();
        params = Map.of("key_id", keyId, "ws", "target-ws", "id", webhook);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The route's path with every parameter naming a resource of the target organization. */
    static String concrete(String template) {
        String path = template.replace("{key_id}", params.get("key_id")).replace("{ws}", params.get("ws"))
            .replace("{id}", params.get("id")).replace("{delivery_id}", "whd_none")
            .replace("{issuer}", "target-issuer").replace("{fc}", "target-fc");
        String owner;
        if (path.startsWith("/v1/users/")) owner = "target-user";
        else if (path.startsWith("/v1/roles/")) owner = "target-role";
        else if (path.startsWith("/v1/groups/")) owner = "target-group";
        else if (path.startsWith("/v1/network-policies/")) owner = "target-policy";
        else if (path.startsWith("/v1/workspaces/")) owner = "target-wsuser";
        else owner = "target-sa";
        return path.replace("{name}", owner).replace("{username}", "target-user").replace("{kid}", "target-kid");
    }

    static List<TestServer.Response> each(String key, java.util.function.BiConsumer<String, Response> check) {
        List<Response> out = new ArrayList<>();
        for (var route : v1Routes()) {
            String body = route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}";
            Response r = server.call(route.method(), concrete(route.path()), key, body);
            check.accept(route.method() + " " + route.path(), r);
            out.add(r);
        }
        return out;
    }

    static List<dev.servitor.server.http.ApiServer.Route> v1Routes() {
        return server.routes().stream().filter(r -> r.path().startsWith("/v1/"))
            .filter(r -> !(r.method().equals("POST") && r.path().equals("/v1/session"))) // logging in needs no credential
            // the leak reports take no credential at all (LeaksContract tests them, a credential sent along included)
            .filter(r -> !RoutePermissions.ANONYMOUS.contains(r.method() + " " + r.path()))
            .toList();
    }

    @Test
    void the_route_table_is_walked() {
        assertThat(v1Routes()).hasSizeGreaterThan(40);
    }

    @Test
    void a_missing_unknown_revoked_or_disabled_credential_gets_the_one_401_everywhere() {
        for (String key : new String[] {null, "svt_unknown", dev.servitor.crypto.SecretFormat.generate("svt"), revoked, disabled}) {
            each(key, (route, r) -> {
                assertThat(r.status()).as(route + " with " + (key == null ? "no credential" : "a bad one")).isEqualTo(401);
                assertThat(r.json().get("code").asText()).isEqualTo("unauthenticated");
            });
        }
    }

    @Test
    void a_plain_service_account_is_refused_everything_but_self_service() {
        each(plain, (route, r) -> {
            Set<Integer> allowed = PLAIN_ALLOWED.getOrDefault(route, Set.of(403));
            assertThat(r.status()).as(route + " -> " + r.body()).isIn(allowed);
        });
    }

    @Test
    void a_plain_service_account_cannot_set_compute() {
        Response r = server.call("PUT", "/v1/service-accounts/target-sa/instances", plain,
            "{\"config\":{\"read_write\":{\"instance_size\":\"jumbo\"},\"read_scaling\":{\"instance_size\":\"pulse\",\"flock_size\":2}}}");
        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void an_org_admin_of_another_organization_never_reaches_this_one() {
        each(otherAdmin, (route, r) -> {
            assertThat(r.status()).as(route).isNotIn(401, 500);
            if (route.contains("{")) {
                assertThat(r.status()).as(route + " -> " + r.body()).isIn(404, 400, 422, 405);
            }
            if (route.equals("POST /v1/orgs") || route.equals("GET /v1/orgs")) assertThat(r.status()).isEqualTo(403);
            assertThat(r.body()).as(route).doesNotContain("target-sa@default").doesNotContain(params.get("key_id"));
        });
        // and nothing of the target organization changed
        assertThat(server.get("/v1/service-accounts/target-sa", admin).expect(200).json().get("disabled").asBoolean()).isFalse();
        assertThat(server.get("/v1/service-accounts/target-sa/keys", admin).json().get("keys")).hasSize(1);
    }

    @Test
    void org_admins_and_the_operator_are_let_through_on_every_read() {
        for (String key : new String[] {orgAdminUser, admin}) {
            for (var route : v1Routes()) {
                if (!route.method().equals("GET")) continue;
                Response r = server.get(concrete(route.path()), key);
                boolean operatorOnly = route.path().equals("/v1/orgs");
                if (operatorOnly && key.equals(orgAdminUser)) {
                    assertThat(r.status()).as(route.path()).isEqualTo(403);
                } else {
                    assertThat(r.status()).as(route.path() + " -> " + r.body()).isEqualTo(200);
                }
            }
        }
        JsonNode me = server.get("/v1/whoami", orgAdminUser).json();
        assertThat(me.get("permissions")).extracting(JsonNode::asText).contains("org_admin");
    }
}
