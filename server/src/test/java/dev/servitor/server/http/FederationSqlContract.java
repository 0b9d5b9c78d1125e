// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.TestOidcIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The federation statements of docs/sql.md through POST /v1/sql: a federation set up in SQL
 * works as one set up through REST (the exchange succeeds, SHOW answers what GET answers), and
 * every refusal is the REST call's (status and problem document).
 */
abstract class FederationSqlContract extends ApiContract {
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    private static final String GITHUB = "https://token.actions.githubusercontent.com";
    private TestOidcIssuer oidc;

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        return config.withOutbound(config.outbound().withFederationAllowHttp(true)); // the test issuer is http on loopback
    }

    @BeforeAll
    void startIssuer() {
        oidc = new TestOidcIssuer();
    }

    @AfterAll
    void stopIssuer() {
        oidc.close();
    }

    private Response sql(String key, String script) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/sql")).header("Content-Type", "text/plain")
            .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(script)).build());
    }

    private JsonNode ok(String script) {
        Response r = sql(admin(), script);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("results");
    }

    /** RFC 8693 exchange of {@code jwt} for an access token of the account {@code clientId}. */
    static Response exchange(dev.servitor.server.testing.TestServer server, String clientId, String jwt) {
        String form = "grant_type=" + enc(TOKEN_EXCHANGE) + "&subject_token_type=" + enc(JWT_TYPE)
            + "&subject_token=" + enc(jwt) + "&client_id=" + enc(clientId);
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String githubToken(String audience, String owner, String repo, String ref) {
        return oidc.sign(oidc.github(audience, owner, repo, ref, server.clock().instant()));
    }

    /** An issuer named {@code name} for the test OIDC issuer, made by SQL. */
    private String sqlIssuer() {
        String name = unique("iss");
        ok("CREATE FEDERATION ISSUER \"" + name + "\" WITH ISSUER_URL = '" + oidc.url() + "'");
        return name;
    }

    /** The problem document without what differs between two requests or is SQL-only. */
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

    private static List<List<JsonNode>> rows(JsonNode result) {
        List<List<JsonNode>> out = new ArrayList<>();
        for (JsonNode row : result.get("rows")) {
            List<JsonNode> values = new ArrayList<>();
            row.forEach(values::add);
            out.add(values);
        }
        return out;
    }

    @Nested
    class Ok200 {
        @Test
        void a_workload_identity_added_by_sql_lets_the_workload_exchange_its_token_and_act_as_the_account() {
            String issuer = sqlIssuer();
            String sa = unique("deployer");
            JsonNode account = server.createServiceAccount(sa);
            ok("ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY main WITH ISSUER = \"" + issuer + "\" "
                + "AUDIENCE = 'https://servitor.test' SUBJECT = 'repo:acme/web:ref:refs/heads/main' "
                + "CONDITION = 'claims.repository_owner_id == ''4242''' TOKEN_LIFETIME = 300");

            Response r = exchange(server, account.get("id").asText(), githubToken("https://servitor.test", "acme", "web", "refs/heads/main"));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("issued_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
            assertThat(r.json().get("expires_in").asLong()).isEqualTo(300);
            JsonNode me = server.get("/v1/whoami", r.json().get("access_token").asText()).expect(200).json();
            assertThat(me.get("principal").get("name").asText()).isEqualTo(sa);
            assertThat(me.toString()).contains("repo:acme/web:ref:refs/heads/main");
        }

        @Test
        void a_token_the_sql_credential_does_not_match_is_refused_with_invalid_grant() {
            String issuer = sqlIssuer();
            String sa = unique("deployer");
            String id = server.createServiceAccount(sa).get("id").asText();
            ok("ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY main WITH ISSUER = \"" + issuer + "\" "
                + "AUDIENCE = 'https://servitor.test' SUBJECT = 'repo:acme/web:ref:refs/heads/main'");

            Response other = exchange(server, id, githubToken("https://servitor.test", "acme", "web", "refs/heads/feature"));
            assertThat(other.status()).isEqualTo(400);
            assertThat(other.json().get("error").asText()).isEqualTo("invalid_grant");
            Response wrongAudience = exchange(server, id, githubToken("https://elsewhere.test", "acme", "web", "refs/heads/main"));
            assertThat(wrongAudience.json().get("error").asText()).isEqualTo("invalid_grant");
        }

        @Test
        void show_workload_identities_answers_what_get_federated_credentials_answers_with_last_used_at() {
            String issuer = sqlIssuer();
            String sa = unique("shown");
            String id = server.createServiceAccount(sa).get("id").asText();
            ok("ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY a WITH ISSUER = \"" + issuer + "\" AUDIENCE = 'aud-a' "
                + "SUBJECT_PREFIX = 'repo:acme/';\n"
                + "ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY b WITH ISSUER = \"" + issuer + "\" AUDIENCE = 'aud-b' "
                + "SUBJECT = 'repo:acme/web:ref:refs/heads/main'");
            server.post("/v1/service-accounts/" + sa + "/federated-credentials", admin(),
                "{\"name\":\"c\",\"issuer\":\"" + issuer + "\",\"audience\":\"aud-c\",\"claims\":{\"repository_id\":\"777\"}}").expect(201);
            assertThat(exchange(server, id, githubToken("aud-a", "acme", "web", "refs/heads/main")).status()).isEqualTo(200);

            JsonNode show = ok("SHOW WORKLOAD IDENTITIES FOR SERVICE ACCOUNT \"" + sa + "\"").get(0);
            assertThat(show.get("columns")).extracting(JsonNode::asText).containsExactly("name", "issuer", "audience", "subject",
                "subject_prefix", "claims", "condition", "token_lifetime_seconds", "last_used_at", "created");
            List<List<JsonNode>> fromSql = rows(show);
            JsonNode rest = server.get("/v1/service-accounts/" + sa + "/federated-credentials", admin()).expect(200).json()
                .get("federated_credentials");
            assertThat(fromSql).hasSize(3).hasSize(rest.size());
            for (int i = 0; i < rest.size(); i++) {
                JsonNode c = rest.get(i);
                List<JsonNode> row = fromSql.get(i);
                assertThat(row.get(0)).isEqualTo(c.get("name"));
                assertThat(row.get(1).asText()).isEqualTo(issuer).isEqualTo(c.get("issuer").asText());
                assertThat(row.get(2)).isEqualTo(c.get("audience"));
                assertThat(row.get(3)).isEqualTo(c.get("subject"));
                assertThat(row.get(4)).isEqualTo(c.get("subject_prefix"));
                assertThat(row.get(6)).isEqualTo(c.get("condition"));
                assertThat(row.get(7)).isEqualTo(c.get("token_lifetime_seconds"));
                assertThat(row.get(8)).isEqualTo(c.get("last_used_at"));
                assertThat(row.get(9)).isEqualTo(c.get("created_at"));
            }
            assertThat(fromSql.get(0).get(8).isNull()).as("credential a was used").isFalse();
            assertThat(fromSql.get(1).get(8).isNull()).as("credential b never was").isTrue();
            assertThat(fromSql.get(2).get(5).asText()).isEqualTo("{\"repository_id\":\"777\"}");
        }

        @Test
        void show_federation_issuers_answers_what_get_issuers_answers() {
            String named = sqlIssuer();
            String inline = unique("inline");
            ok("CREATE FEDERATION ISSUER \"" + inline + "\" WITH ISSUER_URL = 'https://k8s.internal.test' "
                + "JWKS = '" + oidc.publicJwks() + "' MAX_TOKEN_AGE = 600 REQUIRE_JTI = TRUE");
            JsonNode show = ok("SHOW FEDERATION ISSUERS").get(0);
            JsonNode rest = server.get("/v1/federation/issuers?page_size=1000", admin()).expect(200).json().get("issuers");
            List<List<JsonNode>> fromSql = rows(show);
            assertThat(fromSql).hasSize(rest.size());
            for (int i = 0; i < rest.size(); i++) {
                JsonNode r = rest.get(i);
                List<JsonNode> row = fromSql.get(i);
                assertThat(row.get(0)).isEqualTo(r.get("name"));
                assertThat(row.get(1)).isEqualTo(r.get("issuer_url"));
                assertThat(row.get(2)).isEqualTo(r.get("jwks_uri"));
                assertThat(row.get(4)).isEqualTo(r.get("max_token_age_seconds"));
                assertThat(row.get(5)).isEqualTo(r.get("require_jti"));
                assertThat(row.get(6)).isEqualTo(r.get("created_at"));
            }
            JsonNode inlineRest = server.get("/v1/federation/issuers/" + inline, admin()).expect(200).json();
            assertThat(inlineRest.get("max_token_age_seconds").asLong()).isEqualTo(600);
            assertThat(inlineRest.get("require_jti").asBoolean()).isTrue();
            assertThat(inlineRest.get("jwks").get("keys")).isNotEmpty();
            assertThat(server.get("/v1/federation/issuers/" + named, admin()).expect(200).json().get("jwks").isNull()).isTrue();
        }

        @Test
        void an_inline_jwks_given_in_sql_verifies_tokens_with_nothing_fetched() {
            String issuerName = unique("private");
            int fetches = oidc.jwksFetches() + oidc.discoveryFetches();
            ok("CREATE FEDERATION ISSUER \"" + issuerName + "\" WITH ISSUER_URL = '" + oidc.url() + "' JWKS = '" + oidc.publicJwks() + "'");
            String sa = unique("k8s");
            String id = server.createServiceAccount(sa).get("id").asText();
            ok("ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY pod WITH ISSUER = \"" + issuerName + "\" "
                + "AUDIENCE = 'https://servitor.test' SUBJECT = 'system:serviceaccount:payments:deployer'");
            String jwt = oidc.sign(oidc.kubernetes("https://servitor.test", "payments", "deployer", server.clock().instant()));
            Response r = exchange(server, id, jwt);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(oidc.jwksFetches() + oidc.discoveryFetches()).isEqualTo(fetches);
        }

        @Test
        void remove_workload_identity_stops_the_exchange_and_drop_issuer_then_succeeds() {
            String issuer = sqlIssuer();
            String sa = unique("removed");
            String id = server.createServiceAccount(sa).get("id").asText();
            ok("ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY main WITH ISSUER = \"" + issuer + "\" "
                + "AUDIENCE = 'https://servitor.test' SUBJECT = 'repo:acme/web:ref:refs/heads/main'");
            assertThat(exchange(server, id, githubToken("https://servitor.test", "acme", "web", "refs/heads/main")).status()).isEqualTo(200);

            ok("ALTER SERVICE ACCOUNT \"" + sa + "\" REMOVE WORKLOAD IDENTITY main;\nDROP FEDERATION ISSUER \"" + issuer + "\";\n"
                + "DROP FEDERATION ISSUER IF EXISTS \"" + issuer + "\"");
            Response after = exchange(server, id, githubToken("https://servitor.test", "acme", "web", "refs/heads/main"));
            assertThat(after.status()).isEqualTo(400);
            assertThat(after.json().get("error").asText()).isEqualTo("invalid_grant");
            server.get("/v1/federation/issuers/" + issuer, admin()).expect(404);
        }

        @Test
        void create_if_not_exists_keeps_the_existing_issuer() {
            String issuer = sqlIssuer();
            ok("CREATE FEDERATION ISSUER IF NOT EXISTS \"" + issuer + "\" WITH ISSUER_URL = 'https://other.test'");
            assertThat(server.get("/v1/federation/issuers/" + issuer, admin()).expect(200).json().get("issuer_url").asText())
                .isEqualTo(oidc.url());
        }
    }

    @Nested
    class Refusals {
        @Test
        void a_caller_who_is_not_an_org_admin_is_refused_403() {
            String name = unique("plain");
            server.createServiceAccount(name);
            String key = server.createKey(name, "k");
            Response r = sql(key, "SHOW FEDERATION ISSUERS");
            assertThat(r.status()).isEqualTo(403);
        }

        @Test
        void an_unpinned_credential_on_a_shared_issuer_is_422_tenant_not_pinned_as_in_rest() {
            String shared = unique("github");
            ok("CREATE FEDERATION ISSUER \"" + shared + "\" WITH ISSUER_URL = '" + GITHUB + "'");
            String sa = unique("open");
            server.createServiceAccount(sa);
            Response viaSql = sql(admin(), "ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY w WITH ISSUER = \"" + shared
                + "\" AUDIENCE = 'https://servitor.test'");
            Response viaRest = server.post("/v1/service-accounts/" + sa + "/federated-credentials", admin(),
                "{\"name\":\"w\",\"issuer\":\"" + shared + "\",\"audience\":\"https://servitor.test\"}");
            assertSameRefusal(viaSql, viaRest, 422, "tenant_not_pinned");
            assertThat(viaSql.json().get("statement").asText()).startsWith("ALTER SERVICE ACCOUNT");

            ok("ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY pinned WITH ISSUER = \"" + shared
                + "\" AUDIENCE = 'https://servitor.test' CONDITION = 'claims.repository_owner_id == ''4242'''");
        }

        @Test
        void a_condition_that_does_not_compile_is_422_naming_the_position_as_in_rest() {
            String issuer = sqlIssuer();
            String sa = unique("cel");
            server.createServiceAccount(sa);
            Response viaSql = sql(admin(), "ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY w WITH ISSUER = \"" + issuer
                + "\" AUDIENCE = 'a' CONDITION = 'claims.ref == '");
            Response viaRest = server.post("/v1/service-accounts/" + sa + "/federated-credentials", admin(),
                "{\"name\":\"w\",\"issuer\":\"" + issuer + "\",\"audience\":\"a\",\"condition\":\"claims.ref == \"}");
            assertThat(viaRest.status()).as(viaRest.body()).isEqualTo(422);
            assertThat(comparable(viaSql)).isEqualTo(comparable(viaRest));
            assertThat(viaSql.json().get("detail").asText()).containsPattern("\\d");
        }

        @Test
        void a_missing_audience_is_422_naming_the_field_as_in_rest() {
            String issuer = sqlIssuer();
            String sa = unique("noaud");
            server.createServiceAccount(sa);
            Response viaSql = sql(admin(), "ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY w WITH ISSUER = \"" + issuer + "\"");
            Response viaRest = server.post("/v1/service-accounts/" + sa + "/federated-credentials", admin(),
                "{\"name\":\"w\",\"issuer\":\"" + issuer + "\"}");
            assertThat(viaRest.status()).as(viaRest.body()).isEqualTo(422);
            assertThat(comparable(viaSql)).isEqualTo(comparable(viaRest));
            assertThat(viaSql.json().get("field").asText()).isEqualTo("audience");
        }

        @Test
        void an_unknown_issuer_an_unknown_account_and_an_unknown_identity_answer_as_in_rest() {
            String sa = unique("unknowns");
            server.createServiceAccount(sa);
            Response viaSql = sql(admin(), "ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY w WITH ISSUER = nowhere AUDIENCE = 'a'");
            Response viaRest = server.post("/v1/service-accounts/" + sa + "/federated-credentials", admin(),
                "{\"name\":\"w\",\"issuer\":\"nowhere\",\"audience\":\"a\"}");
            assertThat(viaSql.status()).isEqualTo(viaRest.status()).isEqualTo(422);
            assertThat(viaSql.json().get("code").asText()).isEqualTo("unknown_issuer");
            assertThat(comparable(viaSql)).isEqualTo(comparable(viaRest));

            String issuer = sqlIssuer();
            assertSameRefusal(
                sql(admin(), "ALTER SERVICE ACCOUNT ghost ADD WORKLOAD IDENTITY w WITH ISSUER = \"" + issuer + "\" AUDIENCE = 'a'"),
                server.post("/v1/service-accounts/ghost/federated-credentials", admin(),
                    "{\"name\":\"w\",\"issuer\":\"" + issuer + "\",\"audience\":\"a\"}"), 404, "service_account_not_found");
            assertSameRefusal(sql(admin(), "ALTER SERVICE ACCOUNT \"" + sa + "\" REMOVE WORKLOAD IDENTITY w"),
                server.delete("/v1/service-accounts/" + sa + "/federated-credentials/w", admin()), 404, "federated_credential_not_found");
            assertSameRefusal(sql(admin(), "SHOW WORKLOAD IDENTITIES FOR SERVICE ACCOUNT ghost"),
                server.get("/v1/service-accounts/ghost/federated-credentials", admin()), 404, "service_account_not_found");
            assertSameRefusal(sql(admin(), "DROP FEDERATION ISSUER nowhere"),
                server.delete("/v1/federation/issuers/nowhere", admin()), 404, "issuer_not_found");
        }

        @Test
        void a_name_used_twice_is_409_and_an_issuer_in_use_cannot_be_dropped() {
            String issuer = sqlIssuer();
            assertSameRefusal(sql(admin(), "CREATE FEDERATION ISSUER \"" + issuer + "\" WITH ISSUER_URL = 'https://x.test'"),
                server.post("/v1/federation/issuers", admin(), "{\"name\":\"" + issuer + "\",\"issuer_url\":\"https://x.test\"}"),
                409, "issuer_exists");
            String sa = unique("dup");
            server.createServiceAccount(sa);
            ok("ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY w WITH ISSUER = \"" + issuer + "\" AUDIENCE = 'a' SUBJECT = 's'");
            assertSameRefusal(
                sql(admin(), "ALTER SERVICE ACCOUNT \"" + sa + "\" ADD WORKLOAD IDENTITY w WITH ISSUER = \"" + issuer + "\" AUDIENCE = 'a'"),
                server.post("/v1/service-accounts/" + sa + "/federated-credentials", admin(),
                    "{\"name\":\"w\",\"issuer\":\"" + issuer + "\",\"audience\":\"a\"}"), 409, "federated_credential_exists");
            Response drop = sql(admin(), "DROP FEDERATION ISSUER \"" + issuer + "\"");
            assertThat(drop.status()).isEqualTo(409);
            assertThat(drop.json().get("code").asText()).isEqualTo("issuer_in_use");
            assertThat(drop.json().get("statement").asText()).startsWith("DROP FEDERATION ISSUER");
        }

        @Test
        void a_bad_issuer_url_is_422_naming_issuer_url_as_in_rest() {
            String name = unique("bad");
            Response viaSql = sql(admin(), "CREATE FEDERATION ISSUER \"" + name + "\" WITH ISSUER_URL = 'ftp://nope'");
            Response viaRest = server.post("/v1/federation/issuers", admin(), "{\"name\":\"" + name + "\",\"issuer_url\":\"ftp://nope\"}");
            assertThat(viaRest.status()).as(viaRest.body()).isEqualTo(422);
            assertThat(comparable(viaSql)).isEqualTo(comparable(viaRest));
            assertThat(viaSql.json().get("field").asText()).isEqualTo("issuer_url");
        }
    }
}
