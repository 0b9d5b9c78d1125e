// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.TestServer;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.TestDatabases.Engine;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every response that carries a secret (a key, a client secret, a token, an org's admin key, a
 * session cookie, an SQL result) has {@code Cache-Control: no-store}, as the contract's
 * "Conventions" ask (issue 14, item 22). The store plays no part: SQLite only.
 */
class SecretResponsesNotStoredTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response assertNotStored(Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Cache-Control")).as(r.body()).isEqualTo("no-store");
        assertThat(r.header("Pragma")).isEqualTo("no-cache");
        return r;
    }

    private static String admin() {
        return server.adminKey();
    }

    private static Response form(String path, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + path))
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Response sql(String script) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/sql")).header("Authorization", "Bearer " + admin())
            .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(script)).build());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void keys_of_service_accounts_and_users_and_their_rotations_are_not_stored() {
        server.createServiceAccount("keyed");
        Response sa = assertNotStored(server.post("/v1/service-accounts/keyed/keys", admin(), "{\"name\":\"k\"}"), 201);
        assertNotStored(server.post("/v1/service-accounts/keyed/keys/" + sa.json().get("id").asText() + "/rotate", admin(), null), 201);
        assertNotStored(server.post("/v1/users/admin/keys", admin(), "{\"name\":\"mine\"}"), 201);
        assertNotStored(server.post("/v1/service-accounts", admin(), "{\"name\":\"issued\",\"issue_key\":true}"), 201);
    }

    @Test
    void client_secrets_tokens_and_impersonation_are_not_stored() {
        server.createServiceAccount("client");
        Response secret = assertNotStored(server.post("/v1/service-accounts/client/secret", admin(), null), 201);
        String id = secret.json().get("client_id").asText();
        assertNotStored(form("/oauth/token", "grant_type=client_credentials&client_id=" + enc(id)
            + "&client_secret=" + enc(secret.json().get("client_secret").asText())), 200);
        assertNotStored(form("/oauth/token", "grant_type=client_credentials&client_id=" + enc(id) + "&client_secret=wrong"), 401);
        assertNotStored(server.post("/v1/service-accounts/client/impersonate", admin(), null), 200);
    }

    @Test
    void an_organizations_admin_key_is_not_stored() {
        assertNotStored(server.post("/v1/orgs", admin(), "{\"name\":\"acme\",\"admin_username\":\"boss\",\"admin_email\":\"boss@acme.example\"}"), 201);
    }

    @Test
    void a_session_cookie_is_not_stored() {
        server.post("/v1/users", admin(), "{\"username\":\"human\",\"email\":\"human@example.com\",\"password\":\"correct horse battery\"}")
            .expect(201);
        Response login = assertNotStored(server.post("/v1/session", null, "{\"username\":\"human\",\"password\":\"correct horse battery\"}"), 204);
        assertThat(login.header("Set-Cookie")).isNotNull();
    }

    @Test
    void no_sql_answer_is_stored_since_any_may_carry_a_secret() {
        server.createServiceAccount("scripted");
        Response key = assertNotStored(sql("CREATE API KEY deploy FOR SERVICE ACCOUNT scripted"), 200);
        assertThat(key.body()).contains("svt_");
        assertNotStored(sql("CALL GENERATE_SERVICE_ACCOUNT_KEY('scripted')"), 200);
        assertNotStored(sql("SHOW SERVICE ACCOUNTS"), 200);
        // a failed script still answers the results of the statements before it, a new key among them
        Response failed = assertNotStored(sql("CREATE API KEY second FOR SERVICE ACCOUNT scripted; DROP SERVICE ACCOUNT nobody"), 404);
        assertThat(failed.body()).contains("svt_");
        assertNotStored(sql("SHOW SERVICE ACCOUNTS WHERE"), 400);
    }
}
