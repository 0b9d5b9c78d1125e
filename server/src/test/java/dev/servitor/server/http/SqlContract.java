// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/sql, grouped by status: SQL and REST give the same results and the same refusals
 * (status and problem document), because both only call the application services.
 */
abstract class SqlContract extends ApiContract {
    private static final List<String> SA_COLUMNS =
        List.of("id", "name", "description", "role", "network_policy", "is_organization_admin", "disabled", "created");

    /** Sends {@code script} as text/plain with {@code key}. */
    Response sql(String key, String script) {
        return sqlAs(key, script, "text/plain; charset=utf-8");
    }

    Response sqlAs(String key, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/v1/sql"))
            .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return server.send(b.build());
    }

    private Response sqlBytes(String key, byte[] body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/sql")).header("Content-Type", "text/plain")
            .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** The results of a script that must succeed. */
    private JsonNode ok(String script) {
        Response r = sql(admin(), script).expect(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        return r.json().get("results");
    }

    /** The problem document without what differs between two requests (request id) or is SQL-only (where the script stopped). */
    private static JsonNode comparable(Response r) {
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        ObjectNode p = (ObjectNode) r.json().deepCopy();
        p.remove(List.of("request_id", "statement_index", "statement", "results"));
        return p;
    }

    private static void assertSameRefusal(Response viaSql, Response viaRest, int status, String code) {
        assertThat(viaRest.status()).as(viaRest.body()).isEqualTo(status);
        assertThat(viaSql.status()).as(viaSql.body()).isEqualTo(status);
        assertThat(viaRest.json().get("code").asText()).isEqualTo(code);
        assertThat(comparable(viaSql)).isEqualTo(comparable(viaRest));
    }

    /** A service account that is neither org admin nor anything else, with a working key. */
    private String plainKey() {
        String name = unique("plain");
        server.createServiceAccount(name);
        return server.createKey(name, "k");
    }

    /** The client-credentials grant at /oauth/token. */
    private Response token(String clientId, String secret) {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private JsonNode restAccount(String name) {
        return server.get("/v1/service-accounts/" + name, admin()).expect(200).json();
    }

    @Nested
    class Ok200 {
        @Test
        void show_service_accounts_answers_what_get_service_accounts_answers() {
            String a = unique("show-a");
            String b = unique("show-b");
            ok("CREATE SERVICE ACCOUNT \"" + a + "\" WITH DESCRIPTION = 'made by SQL' ROLE = viewer;\n"
                + "CREATE SERVICE ACCOUNT \"" + b + "\" WITH IS_ORGANIZATION_ADMIN = TRUE;\n"
                + "ALTER SERVICE ACCOUNT \"" + b + "\" DISABLE");
            server.createServiceAccount(unique("show-rest"));

            JsonNode show = ok("SHOW SERVICE ACCOUNTS").get(0);
            assertThat(show.get("statement").asText()).isEqualTo("SHOW SERVICE ACCOUNTS");
            assertThat(show.get("columns")).extracting(JsonNode::asText).containsExactlyElementsOf(SA_COLUMNS);
            JsonNode rest = server.get("/v1/service-accounts?page_size=1000", admin()).expect(200).json().get("service_accounts");
            List<List<Object>> fromRest = new ArrayList<>();
            for (JsonNode sa : rest) {
                fromRest.add(List.of(sa.get("id"), sa.get("name"), sa.get("description"), sa.get("role"), sa.get("network_policy"),
                    sa.get("is_org_admin"), sa.get("disabled"), sa.get("created_at")));
            }
            List<List<Object>> fromSql = new ArrayList<>();
            for (JsonNode row : show.get("rows")) {
                List<Object> values = new ArrayList<>();
                row.forEach(values::add);
                fromSql.add(values);
            }
            assertThat(fromSql).hasSizeGreaterThanOrEqualTo(3).isEqualTo(fromRest);
        }

        @Test
        void create_by_sql_makes_the_same_account_as_create_by_rest() {
            String viaSql = unique("same-sql");
            String viaRest = unique("same-rest");
            JsonNode results = ok("CREATE SERVICE ACCOUNT \"" + viaSql + "\" WITH DESCRIPTION = 'it''s CI' "
                + "IS_ORGANIZATION_ADMIN = TRUE ROLE = contributor");
            assertThat(results.get(0).get("columns")).isEmpty();
            assertThat(results.get(0).get("rows")).isEmpty();
            server.post("/v1/service-accounts", admin(),
                "{\"name\":\"" + viaRest + "\",\"description\":\"it's CI\",\"is_org_admin\":true,\"role\":\"contributor\"}").expect(201);
            ObjectNode a = (ObjectNode) restAccount(viaSql);
            ObjectNode b = (ObjectNode) restAccount(viaRest);
            for (ObjectNode n : List.of(a, b)) n.remove(List.of("id", "name", "email", "created_at", "updated_at"));
            assertThat(a).isEqualTo(b);
        }

        @Test
        void alter_set_rename_disable_and_enable_show_through_rest() {
            String name = unique("alter");
            String renamed = unique("altered");
            ok("CREATE SERVICE ACCOUNT \"" + name + "\"");
            String key = server.createKey(name, "k");
            ok("ALTER SERVICE ACCOUNT \"" + name + "\" SET DESCRIPTION = 'new' ROLE = viewer IS_ORGANIZATION_ADMIN = FALSE "
                + "NETWORK_POLICY = DEFAULT; ALTER SERVICE ACCOUNT \"" + name + "\" RENAME TO \"" + renamed + "\"");
            JsonNode sa = restAccount(renamed);
            assertThat(sa.get("description").asText()).isEqualTo("new");
            assertThat(sa.get("role").asText()).isEqualTo("viewer");
            ok("ALTER SERVICE ACCOUNT \"" + renamed + "\" DISABLE");
            assertThat(status(key)).isEqualTo(401);
            ok("ALTER SERVICE ACCOUNT \"" + renamed + "\" ENABLE");
            assertThat(status(key)).isEqualTo(200);
        }

        @Test
        void if_not_exists_and_if_exists_make_missing_or_present_no_error() {
            String name = unique("idem");
            ok("CREATE SERVICE ACCOUNT \"" + name + "\" WITH DESCRIPTION = 'first'");
            JsonNode results = ok("CREATE SERVICE ACCOUNT IF NOT EXISTS \"" + name + "\" WITH DESCRIPTION = 'second';\n"
                + "ALTER SERVICE ACCOUNT IF EXISTS never_there DISABLE;\n"
                + "DROP SERVICE ACCOUNT IF EXISTS never_there");
            assertThat(results).hasSize(3);
            assertThat(restAccount(name).get("description").asText()).isEqualTo("first");
        }

        @Test
        void api_keys_are_created_listed_and_revoked_as_through_rest() {
            String name = unique("keyed");
            JsonNode created = ok("CREATE SERVICE ACCOUNT \"" + name + "\";\n"
                + "CREATE API KEY deploy FOR SERVICE ACCOUNT \"" + name + "\" WITH DESCRIPTION = 'ci' TTL = 3600 TYPE = read_scaling").get(1);
            assertThat(created.get("columns")).extracting(JsonNode::asText).containsExactly("id", "name", "type", "expires_at", "key");
            JsonNode row = created.get("rows").get(0);
            String secret = row.get(4).asText();
            assertThat(row.get(1).asText()).isEqualTo("deploy");
            assertThat(row.get(2).asText()).isEqualTo("read_scaling");
            JsonNode me = server.get("/v1/whoami", secret).expect(200).json();
            assertThat(me.get("credential").get("type").asText()).isEqualTo("read_scaling");

            JsonNode shown = ok("SHOW API KEYS FOR SERVICE ACCOUNT \"" + name + "\"").get(0);
            JsonNode listed = server.get("/v1/service-accounts/" + name + "/keys", admin()).expect(200).json().get("keys").get(0);
            JsonNode first = shown.get("rows").get(0);
            assertThat(shown.get("rows")).hasSize(1);
            assertThat(first.get(0)).isEqualTo(listed.get("id"));
            assertThat(first.get(5)).isEqualTo(listed.get("created_at"));
            assertThat(first.get(6)).isEqualTo(listed.get("expires_at"));
            assertThat(shown.toString()).doesNotContain(secret);

            ok("REVOKE API KEY " + row.get(0).asText() + " FOR SERVICE ACCOUNT \"" + name + "\"");
            assertThat(status(secret)).isEqualTo(401);
            assertThat(ok("SHOW API KEYS FOR SERVICE ACCOUNT \"" + name + "\"").get(0).get("rows")).isEmpty();
        }

        @Test
        void generate_service_account_key_gives_a_client_secret_that_the_token_endpoint_accepts() {
            String name = unique("oauth");
            String id = server.createServiceAccount(name).get("id").asText();
            JsonNode result = ok("CALL fb_GENERATESERVICEACCOUNTKEY('" + name + "')").get(0);
            assertThat(result.get("columns")).extracting(JsonNode::asText).containsExactly("service_account_id", "secret");
            assertThat(result.get("rows").get(0).get(0).asText()).isEqualTo(id);
            String secret = result.get("rows").get(0).get(1).asText();
            assertThat(token(id, secret).status()).isEqualTo(200);
            ok("CALL GENERATE_SERVICE_ACCOUNT_KEY('" + name + "')");
            assertThat(token(id, secret).status()).isEqualTo(401); // replaced at once, as POST .../secret does
        }

        @Test
        void a_json_body_with_sql_works_like_text() {
            String name = unique("json");
            Response r = sqlAs(admin(), "{\"sql\":\"CREATE SERVICE ACCOUNT \\\"" + name + "\\\"; SHOW SERVICE ACCOUNTS\"}", "application/json");
            JsonNode results = r.expect(200).json().get("results");
            assertThat(results.get(0).get("statement").asText()).isEqualTo("CREATE SERVICE ACCOUNT \"" + name + "\"");
            assertThat(results.get(1).get("rows").toString()).contains(name);
        }

        @Test
        void a_script_with_comments_reports_each_statement_as_written() {
            String name = unique("commented");
            JsonNode results = ok("-- set up\ncreate /* bot */ service account \"" + name + "\" /* trailing */;\n\nshow service accounts -- done");
            assertThat(results).extracting(n -> n.get("statement").asText())
                .containsExactly("create /* bot */ service account \"" + name + "\"", "show service accounts");
        }

        @Test
        void every_statement_is_audited_like_the_rest_call() {
            String name = unique("audited");
            ok("CREATE SERVICE ACCOUNT \"" + name + "\"; ALTER SERVICE ACCOUNT \"" + name + "\" DISABLE; DROP SERVICE ACCOUNT \"" + name + "\"");
            JsonNode events = server.get("/v1/audit-events?target=service_account:" + name + "&page_size=100", admin())
                .expect(200).json().get("audit_events");
            assertThat(events).extracting(e -> e.get("action").asText())
                .contains("service_account.create", "service_account.disable", "service_account.delete");
        }
    }

    @Nested
    class BadRequest400 {
        @Test
        void a_syntax_error_anywhere_runs_nothing() {
            String name = unique("never");
            Response r = sql(admin(), "CREATE SERVICE ACCOUNT \"" + name + "\";\nCREATE SERVICE ACCOUNT x WITH DESCRIPTION service");
            assertThat(r.status()).isEqualTo(400);
            JsonNode p = r.json();
            assertThat(p.get("code").asText()).isEqualTo("syntax_error");
            assertThat(p.get("detail").asText()).isEqualTo("line 2, column 43: expected '=' after DESCRIPTION, found 'service'");
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            server.get("/v1/service-accounts/" + name, admin()).expect(404);
        }

        @Test
        void hostile_text_is_a_syntax_error() {
            assertThat(sql(admin(), "SHOW SERVICE ACCOUNTS \u0000").json().get("code").asText()).isEqualTo("syntax_error");
            assertThat(sql(admin(), "CREATE SERVICE ACCOUNT a WITH DESCRIPTION = 'open").json().get("detail").asText())
                .isEqualTo("line 1, column 45: unterminated string");
        }

        @Test
        void a_body_that_is_not_utf8_or_bad_json_is_malformed() {
            assertThat(sqlBytes(admin(), new byte[] {'S', 'H', 'O', 'W', ' ', (byte) 0xff}).json().get("code").asText())
                .isEqualTo("malformed_request");
            assertThat(sqlAs(admin(), "{\"sql\": 5}", "application/json").json().get("code").asText()).isEqualTo("invalid_type");
            assertThat(sqlAs(admin(), "{\"query\": \"SHOW USERS\"}", "application/json").json().get("code").asText()).isEqualTo("unknown_field");
        }
    }

    @Nested
    class Unauthorized401 {
        @Test
        void no_credential_is_refused_before_parsing() {
            Response r = sql(null, "this is not even SQL");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().get("code").asText()).isEqualTo("unauthenticated");
        }
    }

    @Nested
    class Forbidden403 {
        @Test
        void a_key_without_org_admin_is_refused_the_same_both_ways() {
            String key = plainKey();
            assertSameRefusal(sql(key, "SHOW SERVICE ACCOUNTS"), server.get("/v1/service-accounts", key), 403, "forbidden");
            assertSameRefusal(sql(key, "CREATE SERVICE ACCOUNT sneaky"),
                server.post("/v1/service-accounts", key, "{\"name\":\"sneaky\"}"), 403, "forbidden");
            assertSameRefusal(sql(key, "DROP SERVICE ACCOUNT IF EXISTS nobody"),
                server.delete("/v1/service-accounts/nobody", key), 403, "forbidden");
            assertSameRefusal(sql(key, "CALL GENERATE_SERVICE_ACCOUNT_KEY('nobody')"),
                server.post("/v1/service-accounts/nobody/secret", key, null), 403, "forbidden");
        }
    }

    @Nested
    class NotFound404 {
        @Test
        void a_missing_account_is_refused_the_same_both_ways() {
            assertSameRefusal(sql(admin(), "ALTER SERVICE ACCOUNT ghost SET DESCRIPTION = 'x'"),
                server.patch("/v1/service-accounts/ghost", admin(), "{\"description\":\"x\"}"), 404, "service_account_not_found");
            assertSameRefusal(sql(admin(), "SHOW API KEYS FOR SERVICE ACCOUNT ghost"),
                server.get("/v1/service-accounts/ghost/keys", admin()), 404, "service_account_not_found");
            assertSameRefusal(sql(admin(), "CALL fb_GENERATESERVICEACCOUNTKEY('ghost')"),
                server.post("/v1/service-accounts/ghost/secret", admin(), null), 404, "service_account_not_found");
        }

        @Test
        void a_missing_key_is_refused_the_same_both_ways() {
            String name = unique("keyless");
            server.createServiceAccount(name);
            assertSameRefusal(sql(admin(), "REVOKE API KEY key_nope FOR SERVICE ACCOUNT \"" + name + "\""),
                server.delete("/v1/service-accounts/" + name + "/keys/key_nope", admin()), 404, "key_not_found");
        }
    }

    @Nested
    class Conflict409 {
        @Test
        void a_duplicate_name_is_refused_the_same_both_ways() {
            String name = unique("twice");
            server.createServiceAccount(name);
            assertSameRefusal(sql(admin(), "CREATE SERVICE ACCOUNT \"" + name + "\""),
                server.post("/v1/service-accounts", admin(), "{\"name\":\"" + name + "\"}"), 409, "service_account_exists");
        }

        @Test
        void a_failing_statement_stops_the_script_and_the_earlier_ones_stay_applied() {
            String before = unique("before");
            String dup = unique("dup");
            String after = unique("after");
            server.createServiceAccount(dup);
            String script = "CREATE SERVICE ACCOUNT \"" + before + "\";\nSHOW API KEYS FOR SERVICE ACCOUNT \"" + before + "\";\n"
                + "CREATE SERVICE ACCOUNT \"" + dup + "\" WITH DESCRIPTION = 'again';\nCREATE SERVICE ACCOUNT \"" + after + "\"";
            Response r = sql(admin(), script);
            assertThat(r.status()).isEqualTo(409);
            JsonNode p = r.json();
            assertThat(p.get("code").asText()).isEqualTo("service_account_exists");
            assertThat(p.get("field").asText()).isEqualTo("name");
            assertThat(p.get("statement_index").asInt()).isEqualTo(2);
            assertThat(p.get("statement").asText()).isEqualTo("CREATE SERVICE ACCOUNT \"" + dup + "\" WITH DESCRIPTION = 'again'");
            assertThat(p.get("results")).hasSize(2);
            assertThat(p.get("results").get(0).get("statement").asText()).isEqualTo("CREATE SERVICE ACCOUNT \"" + before + "\"");
            assertThat(p.get("results").get(1).get("columns")).isNotEmpty();
            restAccount(before);
            server.get("/v1/service-accounts/" + after, admin()).expect(404);
        }
    }

    @Nested
    class Unprocessable422 {
        @Test
        void a_bad_name_is_refused_the_same_both_ways() {
            assertSameRefusal(sql(admin(), "CREATE SERVICE ACCOUNT \"bad name!\""),
                server.post("/v1/service-accounts", admin(), "{\"name\":\"bad name!\"}"), 422, "invalid_name");
            assertSameRefusal(sql(admin(), "CREATE SERVICE ACCOUNT \"\""),
                server.post("/v1/service-accounts", admin(), "{\"name\":\"\"}"), 422, "invalid_name");
        }

        @Test
        void unknown_roles_groups_and_policies_are_refused_the_same_both_ways() {
            assertSameRefusal(sql(admin(), "CREATE SERVICE ACCOUNT r1 WITH ROLE = wizard"),
                server.post("/v1/service-accounts", admin(), "{\"name\":\"r1\",\"role\":\"wizard\"}"), 422, "unknown_role");
            assertSameRefusal(sql(admin(), "CREATE SERVICE ACCOUNT g1 WITH GROUPS = (ops)"),
                server.post("/v1/service-accounts", admin(), "{\"name\":\"g1\",\"groups\":[\"ops\"]}"), 422, "unknown_group");
            assertSameRefusal(sql(admin(), "CREATE SERVICE ACCOUNT p1 WITH NETWORK_POLICY = office"),
                server.post("/v1/service-accounts", admin(), "{\"name\":\"p1\",\"network_policy\":\"office\"}"), 422, "unknown_network_policy");
        }

        @Test
        void a_bad_key_type_or_ttl_is_refused_the_same_both_ways() {
            String name = unique("ttl");
            server.createServiceAccount(name);
            assertSameRefusal(sql(admin(), "CREATE API KEY k FOR SERVICE ACCOUNT \"" + name + "\" WITH TTL = 0"),
                server.post("/v1/service-accounts/" + name + "/keys", admin(), "{\"name\":\"k\",\"ttl\":0}"), 422, "invalid_value");
            assertSameRefusal(sql(admin(), "CREATE API KEY k FOR SERVICE ACCOUNT \"" + name + "\" WITH TYPE = turbo"),
                server.post("/v1/service-accounts/" + name + "/keys", admin(), "{\"name\":\"k\",\"type\":\"turbo\"}"), 422, "invalid_value");
        }
    }

    @Nested
    class NetworkPolicies {
        @Test
        void network_policy_statements_match_the_rest_api() {
            ok("CREATE NETWORK POLICY IF NOT EXISTS office WITH ALLOWED_IP_LIST = ('10.0.0.0/8', '2001:db8::/32') DESCRIPTION = 'HQ'");
            ok("CREATE NETWORK POLICY IF NOT EXISTS office WITH ALLOWED_IP_LIST = ('1.2.3.4')");
            JsonNode rest = server.get("/v1/network-policies/office", admin()).expect(200).json();
            assertThat(rest.get("allowed_ips")).extracting(JsonNode::asText).containsExactly("10.0.0.0/8", "2001:db8::/32");
            ok("ALTER NETWORK POLICY office SET BLOCKED_IP_LIST = ('10.9.9.9')");
            assertThat(server.get("/v1/network-policies/office", admin()).json().get("blocked_ips").get(0).asText()).isEqualTo("10.9.9.9");
            JsonNode shown = ok("SHOW NETWORK POLICIES").get(0);
            assertThat(shown.get("rows").get(0).get(0).asText()).isEqualTo("office");
            Response bad = sql(admin(), "CREATE NETWORK POLICY bad WITH ALLOWED_IP_LIST = ('300.1.1.1')");
            assertThat(bad.status()).isEqualTo(422);
            ok("DROP NETWORK POLICY office; DROP NETWORK POLICY IF EXISTS office");
            assertThat(server.get("/v1/network-policies/office", admin()).status()).isEqualTo(404);
        }
    }

    @Nested
    class NeverA500 {
        @Test
        void mutated_scripts_answer_results_or_a_problem_document_but_never_a_500() {
            List<String> corpus = List.of("CREATE SERVICE ACCOUNT IF NOT EXISTS rnd WITH DESCRIPTION = 'r' ROLE = viewer",
                "ALTER SERVICE ACCOUNT IF EXISTS rnd SET DESCRIPTION = 'é😀' NETWORK_POLICY = DEFAULT", "SHOW SERVICE ACCOUNTS",
                "CREATE API KEY k FOR SERVICE ACCOUNT rnd WITH TTL = 60", "SHOW API KEYS FOR SERVICE ACCOUNT rnd",
                "ALTER SERVICE ACCOUNT rnd RENAME TO rnd2; DROP SERVICE ACCOUNT IF EXISTS rnd2", "CALL fb_GENERATESERVICEACCOUNTKEY('rnd')",
                "CREATE USER u WITH SERVICE_ACCOUNT = rnd");
            String alphabet = "aZ_9 \n;,=()'\"-/*é\u00a0";
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < 300; i++) {
                StringBuilder b = new StringBuilder(corpus.get(random.nextInt(corpus.size())));
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> b.delete(at, Math.min(b.length(), at + 3));
                    default -> { }
                }
                Response r = i % 2 == 0 ? sql(admin(), b.toString())
                    : sqlAs(admin(), Json.MAPPER.createObjectNode().put("sql", b.toString()).toString(), "application/json");
                assertThat(r.status()).as(b.toString()).isNotEqualTo(500);
                assertThat(r.json().has("results") || r.json().has("code")).as(r.body()).isTrue();
            }
        }
    }

    @Nested
    class PayloadTooLarge413 {
        @Test
        void a_body_over_one_mebibyte_is_refused() {
            Response r = sql(admin(), "SHOW SERVICE ACCOUNTS; " + "-".repeat(JsonBody.MAX_BYTES));
            assertThat(r.status()).isEqualTo(413);
        }

        @Test
        void a_script_of_more_statements_than_allowed_is_refused_whole_and_runs_nothing() {
            String base = unique("too-many");
            StringBuilder script = new StringBuilder();
            for (int i = 1; i <= 1_001; i++) script.append("CREATE SERVICE ACCOUNT \"").append(base).append('-').append(i).append("\";\n");
            Response r = sql(admin(), script.toString());
            assertThat(r.status()).as(r.body()).isEqualTo(413);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.json().get("code").asText()).isEqualTo("too_many_statements");
            assertThat(r.json().get("detail").asText()).contains("more than 1000 statements");
            server.get("/v1/service-accounts/" + base + "-1", admin()).expect(404);
            assertThat(sql(admin(), "SHOW SERVICE ACCOUNTS;\n".repeat(5_000)).json().get("code").asText()).isEqualTo("too_many_statements");
        }
    }
}
