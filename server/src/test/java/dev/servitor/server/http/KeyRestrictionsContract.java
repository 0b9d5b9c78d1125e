// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.Race;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-key restrictions (docs/api.md "Per-key restrictions") over a real server: set at creation
 * and by {@code PATCH}, shown on key objects and verify answers, and enforced the same by
 * {@code /v1}, {@code /v1/verify} (on the hot path), {@code /v1/forward-auth} and SQL.
 */
abstract class KeyRestrictionsContract extends ApiContract {
    private ApiServer hot;
    private String gatewayKey;

    @Override
    protected dev.servitor.config.ServitorConfig configure(dev.servitor.config.ServitorConfig config) {
        // many refusals from loopback: they must not add up to the failed-authentication limits
        return config.withAccess(new dev.servitor.config.ServitorConfig.Access(config.access().instanceSizes(), 10_000, 10_000));
    }

    @BeforeAll
    void gateway() {
        hot = new ApiServer(server.servitor(), true).start("127.0.0.1", 0);
        String role = unique("gateway");
        server.post("/v1/roles", admin(), "{\"name\":\"" + role + "\",\"permissions\":[\"verify\"]}").expect(201);
        String gw = unique("gateway");
        server.post("/v1/service-accounts", admin(), "{\"name\":\"" + gw + "\",\"role\":\"" + role + "\"}").expect(201);
        gatewayKey = server.createKey(gw, "gw");
    }

    @AfterAll
    void stopHot() {
        hot.close();
    }

    /** A service account with a role of its own holding {@code permissions}; returns {name, role}. */
    private String[] accountWithRole(String... permissions) {
        String role = unique("role");
        server.post("/v1/roles", admin(), "{\"name\":\"" + role + "\",\"permissions\":" + jsonList(permissions) + "}").expect(201);
        String sa = unique("restricted");
        server.post("/v1/service-accounts", admin(), "{\"name\":\"" + sa + "\",\"role\":\"" + role + "\"}").expect(201);
        return new String[] {sa, role};
    }

    private static String jsonList(String... items) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < items.length; i++) b.append(i == 0 ? "" : ",").append('"').append(items[i]).append('"');
        return b.append(']').toString();
    }

    private JsonNode createKey(String sa, String restrictions) {
        return server.post("/v1/service-accounts/" + sa + "/keys", admin(),
            "{\"name\":\"k\",\"restrictions\":" + restrictions + "}").expect(201).json();
    }

    private Response patchKey(String sa, String keyId, String key, String body) {
        return server.patch("/v1/service-accounts/" + sa + "/keys/" + keyId, key, body);
    }

    /** /v1/verify through the hot path, as a gateway asks it. */
    private JsonNode verifyHot(String credential, String permission, String ip) {
        StringBuilder body = new StringBuilder("{\"credential\":\"" + credential + "\"");
        if (permission != null) body.append(",\"permission\":\"").append(permission).append('"');
        if (ip != null) body.append(",\"ip\":\"").append(ip).append('"');
        body.append('}');
        long before = hot.hotPathAnswers();
        Response r = server.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hot.port() + "/v1/verify"))
            .header("Content-Type", "application/json").header("Authorization", "Bearer " + gatewayKey)
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build()).expect(200);
        assertThat(hot.hotPathAnswers() - before).as("answered by the hot path").isEqualTo(1);
        return r.json();
    }

    private Response forwardAuth(String credential, String permission, String clientIp) {
        String q = permission == null ? "" : "?permission=" + URLEncoder.encode(permission, StandardCharsets.UTF_8);
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + ForwardAuth.PATH + q))
            .header(ForwardAuth.GATEWAY_KEY, gatewayKey).header("Authorization", "Bearer " + credential)
            .header("X-Real-IP", clientIp).GET().build());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void assertProblem(Response r, int status, String code, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("code").asText()).as(r.body()).isEqualTo(code);
        if (field != null) assertThat(r.json().get("field").asText()).as(r.body()).isEqualTo(field);
    }

    private long events(String action, String target) {
        JsonNode page = server.get("/v1/audit-events?page_size=1000&action=" + action + "&target="
            + URLEncoder.encode(target, StandardCharsets.UTF_8), admin()).expect(200).json();
        long n = 0;
        for (JsonNode e : page.get("audit_events")) {
            if (e.get("target").asText().equals(target) && e.get("outcome").asText().equals("success")) n++;
        }
        return n;
    }

    // ---- the key object ------------------------------------------------------------------------

    @Test
    void key_objects_carry_only_the_parts_set_and_a_plain_key_none() {
        String sa = accountWithRole("deployments:read")[0];
        JsonNode k = createKey(sa, "{\"permissions\":[\"deployments:read\"],\"allowed_ips\":[\"10.0.0.0/8\"],"
            + "\"rate_limit\":{\"limit\":100,\"period_seconds\":60},\"remaining_uses\":1000,\"refill\":{\"amount\":1000,\"interval\":\"day\"}}");
        JsonNode r = k.get("restrictions");
        assertThat(texts(r.get("permissions"))).containsExactly("deployments:read");
        assertThat(texts(r.get("allowed_ips"))).containsExactly("10.0.0.0/8");
        assertThat(r.get("rate_limit").get("limit").asInt()).isEqualTo(100);
        assertThat(r.get("rate_limit").get("period_seconds").asInt()).isEqualTo(60);
        assertThat(r.get("remaining_uses").asLong()).isEqualTo(1000);
        assertThat(r.get("refill").get("interval").asText()).isEqualTo("day");

        JsonNode partial = createKey(sa, "{\"allowed_ips\":[\"192.0.2.0/24\"]}");
        assertThat(partial.get("restrictions").has("permissions")).isFalse();
        JsonNode plain = server.post("/v1/service-accounts/" + sa + "/keys", admin(), "{\"name\":\"plain\"}").expect(201).json();
        assertThat(plain.has("restrictions")).isFalse();

        JsonNode list = server.get("/v1/service-accounts/" + sa + "/keys", admin()).expect(200).json().get("keys");
        assertThat(list).hasSize(3);
        java.util.Map<String, JsonNode> byId = new java.util.HashMap<>();
        list.forEach(n -> byId.put(n.get("id").asText(), n));
        assertThat(byId.get(k.get("id").asText()).get("restrictions")).isEqualTo(r);
        assertThat(byId.get(partial.get("id").asText()).get("restrictions").get("allowed_ips").get(0).asText()).isEqualTo("192.0.2.0/24");
        assertThat(byId.get(plain.get("id").asText()).has("restrictions")).isFalse();
    }

    // ---- permissions ---------------------------------------------------------------------------

    @Test
    void permissions_are_the_intersection_on_every_path_and_a_role_change_narrows_at_the_next_request() {
        String[] a = accountWithRole("deployments:read", "deployments:create");
        String sa = a[0];
        // invoices:read is not the owner's: allowed, but it grants nothing
        String key = createKey(sa, "{\"permissions\":[\"deployments:read\",\"invoices:read\"]}").get("key").asText();

        JsonNode v = verifyHot(key, "deployments:read", null);
        assertThat(v.get("valid").asBoolean()).as(v.toString()).isTrue();
        assertThat(texts(v.get("permissions"))).containsExactly("deployments:read");
        assertThat(texts(v.get("restrictions").get("permissions"))).containsExactly("deployments:read", "invoices:read");
        assertThat(verifyHot(key, "deployments:create", null).get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(verifyHot(key, "invoices:read", null).get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(texts(server.get("/v1/whoami", key).expect(200).json().get("permissions"))).containsExactly("deployments:read");
        assertThat(forwardAuth(key, "deployments:read", "198.51.100.20").status()).isEqualTo(200);
        assertThat(forwardAuth(key, "deployments:create", "198.51.100.20").status()).isEqualTo(403);

        // the role loses deployments:read: the key holds nothing at the very next request
        server.patch("/v1/roles/" + a[1], admin(), "{\"permissions\":[\"deployments:create\",\"invoices:read\"]}").expect(200);
        JsonNode after = verifyHot(key, "deployments:read", null);
        assertThat(after.get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(texts(after.get("permissions"))).containsExactly("invoices:read");
        assertThat(forwardAuth(key, "deployments:read", "198.51.100.20").status()).isEqualTo(403);
    }

    @Test
    void an_admin_account_key_restricted_to_a_permission_cannot_administer() {
        String sa = unique("admin-sa");
        server.post("/v1/service-accounts", admin(), "{\"name\":\"" + sa + "\",\"is_org_admin\":true}").expect(201);
        String restricted = createKey(sa, "{\"permissions\":[\"deployments:read\"]}").get("key").asText();
        String whole = server.createKey(sa, "whole");
        assertProblem(server.get("/v1/service-accounts", restricted), 403, "forbidden", null);
        server.get("/v1/service-accounts", whole).expect(200);
        JsonNode me = server.get("/v1/whoami", restricted).expect(200).json();
        assertThat(texts(me.get("permissions"))).containsExactly("deployments:read");
        // nor through SQL
        Response sql = server.post("/v1/sql", restricted, "{\"sql\":\"SHOW SERVICE ACCOUNTS\"}");
        assertThat(sql.status()).as(sql.body()).isEqualTo(403);
        server.post("/v1/sql", whole, "{\"sql\":\"SHOW SERVICE ACCOUNTS\"}").expect(200);
    }

    // ---- addresses -----------------------------------------------------------------------------

    @Test
    void allowed_ips_refuse_other_addresses_on_every_path() {
        String sa = accountWithRole("deployments:read")[0];
        String key = createKey(sa, "{\"allowed_ips\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}").get("key").asText();

        // /v1 from 127.0.0.1
        assertProblem(server.get("/v1/whoami", key), 403, "ip_not_allowed", null);
        // /v1/verify on the hot path, as seen by the gateway
        JsonNode in = verifyHot(key, null, "10.20.30.40");
        assertThat(in.get("valid").asBoolean()).as(in.toString()).isTrue();
        assertThat(texts(in.get("restrictions").get("allowed_ips"))).containsExactly("10.0.0.0/8", "2001:db8::/32");
        assertThat(verifyHot(key, null, "2001:db8::7").get("valid").asBoolean()).isTrue();
        JsonNode out = verifyHot(key, null, "192.0.2.1");
        assertThat(out.get("valid").asBoolean()).isFalse();
        assertThat(out.get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
        // the gateway's own address when it names none
        assertThat(verifyHot(key, null, null).get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
        // forward auth with the client address the gateway saw
        assertThat(forwardAuth(key, null, "10.0.0.5").status()).isEqualTo(200);
        assertThat(forwardAuth(key, null, "198.51.100.7").status()).isEqualTo(403);
        // SQL through /v1
        assertProblem(server.post("/v1/sql", key, "{\"sql\":\"SHOW SERVICE ACCOUNTS\"}"), 403, "ip_not_allowed", null);
    }

    // ---- PATCH ---------------------------------------------------------------------------------

    @Test
    void a_patch_is_seen_by_every_path_at_once_changes_only_what_it_names_and_is_audited() {
        String sa = accountWithRole("deployments:read", "deployments:create")[0];
        JsonNode created = createKey(sa, "{\"permissions\":[\"deployments:read\"],\"allowed_ips\":[\"10.0.0.0/8\"]}");
        String id = created.get("id").asText();
        String key = created.get("key").asText();
        assertThat(verifyHot(key, null, "127.0.0.1").get("code").asText()).isEqualTo("IP_NOT_ALLOWED"); // now cached
        assertThat(status(key)).isEqualTo(403);

        JsonNode patched = patchKey(sa, id, admin(), "{\"restrictions\":{\"allowed_ips\":[\"127.0.0.1\"]}}").expect(200).json();
        assertThat(texts(patched.get("restrictions").get("allowed_ips"))).containsExactly("127.0.0.1");
        assertThat(texts(patched.get("restrictions").get("permissions"))).as("kept").containsExactly("deployments:read");
        assertThat(patched.has("key")).isFalse();
        assertThat(verifyHot(key, null, "127.0.0.1").get("valid").asBoolean()).isTrue();
        assertThat(status(key)).isEqualTo(200);

        // a member sent as null is cleared; name and description change too
        patched = patchKey(sa, id, admin(), "{\"name\":\"renamed\",\"description\":\"d\",\"restrictions\":{\"permissions\":null}}")
            .expect(200).json();
        assertThat(patched.get("name").asText()).isEqualTo("renamed");
        assertThat(patched.get("restrictions").has("permissions")).isFalse();
        assertThat(texts(verifyHot(key, "deployments:create", "127.0.0.1").get("permissions")))
            .containsExactlyInAnyOrder("deployments:read", "deployments:create");

        // restrictions null clears them all
        patched = patchKey(sa, id, admin(), "{\"restrictions\":null}").expect(200).json();
        assertThat(patched.has("restrictions")).isFalse();
        assertThat(verifyHot(key, null, "192.0.2.9").get("valid").asBoolean()).isTrue();
        assertThat(verifyHot(key, null, "192.0.2.9").has("restrictions")).isFalse();

        assertThat(events("key.update", "service_account:" + sa + "/key:" + id)).isEqualTo(3);
        assertThat(server.get("/v1/service-accounts/" + sa + "/keys", admin()).json().get("keys").get(0).get("name").asText())
            .isEqualTo("renamed");
    }

    @Test
    void a_users_personal_key_is_restricted_the_same_way() {
        JsonNode k = server.post("/v1/users/admin/keys", admin(), "{\"name\":\"mine\",\"restrictions\":{\"permissions\":[\"verify\"]}}")
            .expect(201).json();
        assertThat(texts(server.get("/v1/whoami", k.get("key").asText()).json().get("permissions"))).containsExactly("verify");
        server.patch("/v1/users/admin/keys/" + k.get("id").asText(), admin(), "{\"restrictions\":{\"allowed_ips\":[\"10.0.0.1\"]}}")
            .expect(200);
        assertProblem(server.get("/v1/whoami", k.get("key").asText()), 403, "ip_not_allowed", null);
        server.delete("/v1/users/admin/keys/" + k.get("id").asText(), admin()).expect(204);
    }

    /**
     * Finding (attack review): a user may manage its own personal keys, and that held for a request
     * made with a restricted key of that user: an org admin's key restricted to {@code verify} could
     * lift its own restrictions by PATCH, mint an unrestricted key, rotate into a fresh rate window,
     * or set the user's password and log in to the console, and so become an org admin again. A
     * restricted key no longer acts as its user itself (a key holding {@code org:admin} still
     * manages keys as an org admin).
     */
    @Test
    void a_restricted_personal_key_cannot_lift_its_restrictions_or_mint_a_wider_key() {
        JsonNode k = server.post("/v1/users/admin/keys", admin(), "{\"name\":\"narrow\",\"restrictions\":{\"permissions\":[\"verify\"],"
            + "\"remaining_uses\":1000}}").expect(201).json();
        String narrow = k.get("key").asText();
        String id = k.get("id").asText();
        assertProblem(server.patch("/v1/users/admin/keys/" + id, narrow, "{\"restrictions\":null}"), 403, "forbidden", null);
        assertProblem(server.patch("/v1/users/admin/keys/" + id, narrow, "{\"restrictions\":{\"remaining_uses\":1000000}}"),
            403, "forbidden", null);
        assertProblem(server.post("/v1/users/admin/keys", narrow, "{\"name\":\"wide\"}"), 403, "forbidden", null);
        assertProblem(server.post("/v1/users/admin/keys/" + id + "/rotate", narrow, "{}"), 403, "forbidden", null);
        // nor set the user's password, then log in to the console with the user's whole power
        assertProblem(server.patch("/v1/users/admin", narrow, "{\"password\":\"Sup3r-secret-passw0rd!!\"}"), 403, "forbidden", null);
        Response login = server.post("/v1/session", null, "{\"username\":\"admin\",\"password\":\"Sup3r-secret-passw0rd!!\"}");
        assertThat(login.status()).as(login.body()).isNotEqualTo(204);
        Response sql = server.post("/v1/sql", narrow, "{\"sql\":\"SHOW SERVICE ACCOUNTS\"}");
        assertThat(sql.status()).as(sql.body()).isEqualTo(403);
        JsonNode now = server.get("/v1/users/admin/keys", admin()).expect(200).json();
        List<String> names = new ArrayList<>();
        for (JsonNode key : now.get("keys")) {
            names.add(key.get("name").asText());
            if (key.get("id").asText().equals(id)) {
                assertThat(texts(key.get("restrictions").get("permissions"))).containsExactly("verify");
            }
        }
        assertThat(names).doesNotContain("wide");
        assertThat(texts(server.get("/v1/whoami", narrow).expect(200).json().get("permissions"))).containsExactly("verify");
        // its owner's unrestricted credential still manages it
        server.patch("/v1/users/admin/keys/" + id, admin(), "{\"restrictions\":null}").expect(200);
        server.delete("/v1/users/admin/keys/" + id, admin()).expect(204);
    }

    // ---- validation and refusal order -------------------------------------------------------------

    @Test
    void invalid_restrictions_are_refused_naming_the_field_and_mint_nothing() {
        String sa = accountWithRole("deployments:read")[0];
        String base = "/v1/service-accounts/" + sa + "/keys";
        String[][] cases = {
            {"{\"allowed_ips\":[\"10.0.0.0/8\",\"10.0.0.300\"]}", "422", "invalid_ip", "restrictions.allowed_ips[1]"},
            {"{\"allowed_ips\":[]}", "422", "invalid_value", "restrictions.allowed_ips"},
            {"{\"permissions\":[\"ok:read\",\"no spaces\"]}", "422", "invalid_value", "restrictions.permissions[1]"},
            {"{\"rate_limit\":{\"limit\":0,\"period_seconds\":60}}", "422", "invalid_value", "restrictions.rate_limit.limit"},
            {"{\"rate_limit\":{\"limit\":1000001,\"period_seconds\":60}}", "422", "invalid_value", "restrictions.rate_limit.limit"},
            {"{\"rate_limit\":{\"limit\":10,\"period_seconds\":86401}}", "422", "invalid_value", "restrictions.rate_limit.period_seconds"},
            {"{\"rate_limit\":{\"limit\":10}}", "422", "missing_field", "restrictions.rate_limit.period_seconds"},
            {"{\"rate_limit\":{\"limit\":\"ten\",\"period_seconds\":60}}", "400", "invalid_type", "restrictions.rate_limit.limit"},
            {"{\"remaining_uses\":-1}", "422", "invalid_value", "restrictions.remaining_uses"},
            {"{\"remaining_uses\":1000000000001}", "422", "invalid_value", "restrictions.remaining_uses"},
            {"{\"refill\":{\"amount\":10,\"interval\":\"day\"}}", "422", "invalid_value", "restrictions.refill"},
            {"{\"remaining_uses\":5,\"refill\":{\"amount\":10,\"interval\":\"week\"}}", "422", "invalid_value", "restrictions.refill.interval"},
            {"{\"scopes\":[\"a\"]}", "400", "unknown_field", "restrictions.scopes"},
            {"{\"rate_limit\":{\"limit\":1,\"period_seconds\":1,\"burst\":2}}", "400", "unknown_field", "restrictions.rate_limit.burst"},
            {"[\"a\"]", "400", "invalid_type", "restrictions"},
        };
        for (String[] c : cases) {
            Response r = server.post(base, admin(), "{\"name\":\"bad\",\"restrictions\":" + c[0] + "}");
            assertThat(r.status()).as(c[0] + " -> " + r.body()).isEqualTo(Integer.parseInt(c[1]));
            assertThat(r.json().get("code").asText()).as(c[0] + " -> " + r.body()).isEqualTo(c[2]);
            assertThat(r.json().get("field").asText()).as(c[0] + " -> " + r.body()).isEqualTo(c[3]);
        }
        assertThat(server.get(base, admin()).json().get("keys")).isEmpty();

        // the same on PATCH, which changes nothing; a refill may rely on the key's remaining_uses
        JsonNode k = createKey(sa, "{\"remaining_uses\":10}");
        String id = k.get("id").asText();
        assertProblem(patchKey(sa, id, admin(), "{\"restrictions\":{\"allowed_ips\":[\"10.0.0.1/8\"]}}"), 422, "invalid_ip",
            "restrictions.allowed_ips[0]");
        assertProblem(patchKey(sa, id, admin(), "{\"restrictions\":{\"remaining_uses\":null,\"refill\":{\"amount\":5,\"interval\":\"day\"}}}"),
            422, "invalid_value", "restrictions.refill");
        assertProblem(patchKey(sa, id, admin(), "{\"type\":\"read_scaling\"}"), 400, "unknown_field", "type");
        JsonNode ok = patchKey(sa, id, admin(), "{\"restrictions\":{\"refill\":{\"amount\":5,\"interval\":\"month\"}}}").expect(200).json();
        assertThat(ok.get("restrictions").get("remaining_uses").asLong()).isEqualTo(10);
        assertThat(ok.get("restrictions").get("refill").get("interval").asText()).isEqualTo("month");
    }

    @Test
    void a_viewer_gets_403_before_any_422_and_an_unknown_key_404_after_them() {
        String sa = accountWithRole("deployments:read")[0];
        String id = createKey(sa, "{\"remaining_uses\":10}").get("id").asText();
        String viewer = unique("viewer");
        server.post("/v1/service-accounts", admin(), "{\"name\":\"" + viewer + "\",\"role\":\"viewer\"}").expect(201);
        String viewerKey = server.createKey(viewer, "v");

        assertProblem(patchKey(sa, id, viewerKey, "{\"restrictions\":{\"allowed_ips\":[\"nonsense\"]}}"), 403, "forbidden", null);
        assertProblem(patchKey(sa, id, viewerKey, "{\"restrictions\":{\"allowed_ips\":[\"10.0.0.1\"]}}"), 403, "forbidden", null);
        assertProblem(patchKey(sa, id, null, "{}"), 401, "unauthenticated", null);
        assertProblem(patchKey(sa, "key_nope", admin(), "{\"restrictions\":{\"allowed_ips\":[\"nonsense\"]}}"), 422, "invalid_ip",
            "restrictions.allowed_ips[0]");
        assertProblem(patchKey(sa, "key_nope", admin(), "{\"restrictions\":{\"allowed_ips\":[\"10.0.0.1\"]}}"), 404, "key_not_found", null);
        assertProblem(patchKey("no-such-account", id, admin(), "{}"), 404, "service_account_not_found", null);
        // a revoked key is not updated
        server.delete("/v1/service-accounts/" + sa + "/keys/" + id, admin()).expect(204);
        assertProblem(patchKey(sa, id, admin(), "{\"name\":\"x\"}"), 404, "key_not_found", null);
    }

    // ---- SQL -----------------------------------------------------------------------------------

    private Response sql(String key, String script) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/sql")).header("Content-Type", "text/plain")
            .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(script)).build());
    }

    @Test
    void sql_creates_shows_and_alters_restrictions_as_rest_does() {
        String sa = accountWithRole("deployments:read", "deployments:create")[0];
        JsonNode created = sql(admin(), "CREATE API KEY k FOR SERVICE ACCOUNT \"" + sa + "\" WITH PERMISSIONS = ('deployments:read') "
            + "ALLOWED_IPS = ('10.0.0.0/8') RATE_LIMIT = '100/60s' REMAINING_USES = 1000 REFILL = '500/month'")
            .expect(200).json().get("results").get(0);
        JsonNode row = created.get("rows").get(0);
        String id = row.get(0).asText();
        String key = row.get(4).asText();
        JsonNode r = server.get("/v1/service-accounts/" + sa + "/keys", admin()).json().get("keys").get(0).get("restrictions");
        assertThat(texts(r.get("permissions"))).containsExactly("deployments:read");
        assertThat(r.get("rate_limit").get("period_seconds").asInt()).isEqualTo(60);
        assertThat(r.get("refill").get("amount").asLong()).isEqualTo(500);
        assertThat(verifyHot(key, null, "127.0.0.1").get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
        assertThat(verifyHot(key, "deployments:create", "10.0.0.1").get("code").asText()).isEqualTo("FORBIDDEN");

        JsonNode show = sql(admin(), "SHOW API KEYS FOR SERVICE ACCOUNT \"" + sa + "\"").expect(200).json().get("results").get(0);
        assertThat(texts(show.get("columns"))).endsWith("restrictions");
        assertThat(show.get("rows").get(0).get(9).asText()).contains("\"allowed_ips\":[\"10.0.0.0/8\"]");

        // ALTER changes what it names, NULL clears; the next verification sees it
        sql(admin(), "ALTER API KEY " + id + " FOR SERVICE ACCOUNT \"" + sa + "\" SET ALLOWED_IPS = NULL, PERMISSIONS = ('deployments:create')")
            .expect(200);
        JsonNode v = verifyHot(key, "deployments:create", "192.0.2.1");
        assertThat(v.get("valid").asBoolean()).as(v.toString()).isTrue();
        assertThat(v.get("restrictions").has("allowed_ips")).isFalse();
        assertThat(v.get("restrictions").get("remaining_uses").asLong()).isEqualTo(1000);

        // refusals: the field named as in REST, and nothing minted
        Response bad = sql(admin(), "CREATE API KEY k2 FOR SERVICE ACCOUNT \"" + sa + "\" WITH ALLOWED_IPS = ('10.0.0.0/8', 'nope')");
        assertProblem(bad, 422, "invalid_ip", "restrictions.allowed_ips[1]");
        assertProblem(sql(admin(), "CREATE API KEY k2 FOR SERVICE ACCOUNT \"" + sa + "\" WITH RATE_LIMIT = '0/60s'"), 422, "invalid_value",
            "restrictions.rate_limit.limit");
        assertThat(sql(admin(), "CREATE API KEY k2 FOR SERVICE ACCOUNT \"" + sa + "\" WITH RATE_LIMIT = 'fast'").status()).isEqualTo(400);
        assertThat(server.get("/v1/service-accounts/" + sa + "/keys", admin()).json().get("keys")).hasSize(1);
    }

    // ---- races ---------------------------------------------------------------------------------

    @Test
    void a_hundred_parallel_patches_and_verifications_leave_one_whole_row() throws Exception {
        String sa = accountWithRole("deployments:read")[0];
        JsonNode created = createKey(sa, "{\"allowed_ips\":[\"10.0.0.0/8\"]}");
        String id = created.get("id").asText();
        String key = created.get("key").asText();
        Set<String> written = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) written.add("10." + i + ".0.0/16");

        List<String> outcomes = Race.run(16, 100, i -> {
            if (i % 2 == 0) {
                return String.valueOf(patchKey(sa, id, admin(), "{\"restrictions\":{\"allowed_ips\":[\"10." + (i / 2) + ".0.0/16\"],"
                    + "\"remaining_uses\":" + (1000 + i) + "}}").status()); // enough that no verification here spends them all
            }
            return server.post("/v1/verify", admin(), "{\"credential\":\"" + key + "\",\"ip\":\"10." + (i / 2) + ".1.1\"}")
                .expect(200).json().get("code").asText();
        });
        assertThat(outcomes).filteredOn("200"::equals).hasSize(50);
        assertThat(outcomes).filteredOn(o -> !o.equals("200")).allMatch(o -> o.equals("VALID") || o.equals("IP_NOT_ALLOWED"));

        JsonNode r = server.get("/v1/service-accounts/" + sa + "/keys", admin()).json().get("keys").get(0).get("restrictions");
        String block = r.get("allowed_ips").get(0).asText();
        assertThat(written).contains(block);
        // the row is one PATCH's whole write, never two halves
        assertThat(r.get("remaining_uses").asLong()).isEqualTo(1000L + 2L * Integer.parseInt(block.split("\\.")[1]));
        assertThat(events("key.update", "service_account:" + sa + "/key:" + id)).isEqualTo(50);
        // and every node's cache agrees with it
        String inside = block.replace(".0.0/16", ".9.9");
        assertThat(verifyHot(key, null, inside).get("valid").asBoolean()).isTrue();
        assertThat(verifyHot(key, null, "10.200.0.1").get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
    }
}
