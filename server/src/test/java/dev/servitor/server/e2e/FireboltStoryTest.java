// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The Firebolt page "Manage programmatic access" (shared/seeds/000_…), walked through
 * {@code POST /v1/sql} with the statements of its SQL Script Editor: create a service account
 * with a description (and one as organization admin), find its ID with SHOW SERVICE ACCOUNTS,
 * generate a secret with {@code CALL fb_GENERATESERVICEACCOUNTKEY}, exchange ID and secret for
 * an access token at {@code /oauth/token} ("Test your new service account"), link a user to
 * it (a linked account cannot be dropped until the user is), edit it
 * (description, name), disable and enable it, and drop it, after which nothing of it works.
 *
 * <p>Steps that wait for features being built, each asserted here as the answer they get
 * today (so this test shows when they arrive):
 * <ul>
 *   <li>"Edit": {@code ALTER SERVICE ACCOUNT … SET NETWORK_POLICY = my_network_policy} waits for
 *       network policies; today it is refused as REST refuses it (422 {@code unknown_network_policy}).</li>
 * </ul>
 */
class FireboltStoryTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        // Servitor plays Firebolt's API here, so tokens for Firebolt's audience are for it
        server = TestServer.start(Engine.SQLITE,
            cfg -> cfg.withTokens(cfg.tokens().withAcceptedAudiences(java.util.List.of("https://api.firebolt.io"))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response sql(String key, String script) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/sql"))
            .header("Authorization", "Bearer " + key).header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(script)).build());
    }

    private static JsonNode ok(String key, String script) {
        return sql(key, script).expect(200).json().get("results");
    }

    /** The row of SHOW SERVICE ACCOUNTS for {@code name}, or null. */
    private static JsonNode row(String key, String name) {
        for (JsonNode r : ok(key, "SHOW SERVICE ACCOUNTS;").get(0).get("rows")) {
            if (r.get(1).asText().equals(name)) return r;
        }
        return null;
    }

    /** The document's curl: client_credentials with audience, ID and secret as form fields. */
    private static Response oauthToken(String clientId, String clientSecret) {
        String form = "grant_type=client_credentials&audience=" + URLEncoder.encode("https://api.firebolt.io", StandardCharsets.UTF_8)
            + "&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static int whoami(String key) {
        return server.get("/v1/whoami", key).status();
    }

    @Test
    void create_find_generate_a_secret_use_edit_disable_and_drop_a_service_account_with_sql() {
        String admin = server.adminKey();

        // Create a service account using SQL (the document's statement, verbatim, run twice: IF NOT EXISTS)
        ok(admin, "CREATE SERVICE ACCOUNT IF NOT EXISTS \"service_account_name\" WITH DESCRIPTION = 'service account 1';");
        ok(admin, "CREATE SERVICE ACCOUNT IF NOT EXISTS \"service_account_name\" WITH DESCRIPTION = 'service account 1';");
        // ...and one toggled "Is organization admin"
        ok(admin, "CREATE SERVICE ACCOUNT ops_admin WITH DESCRIPTION = 'runs the org' IS_ORGANIZATION_ADMIN = TRUE");

        // Get a service account ID
        JsonNode sa = row(admin, "service_account_name");
        assertThat(sa.get(0).asText()).startsWith("sa_");
        assertThat(sa.get(2).asText()).isEqualTo("service account 1");
        assertThat(sa.get(5).asBoolean()).isFalse();
        assertThat(row(admin, "ops_admin").get(5).asBoolean()).isTrue();

        // Generate a secret: returns the service account ID and the secret, once
        JsonNode generated = ok(admin, "CALL fb_GENERATESERVICEACCOUNTKEY('service_account_name')").get(0);
        assertThat(generated.get("columns")).extracting(JsonNode::asText).containsExactly("service_account_id", "secret");
        String clientId = generated.get("rows").get(0).get(0).asText();
        String clientSecret = generated.get("rows").get(0).get(1).asText();
        assertThat(clientId).isEqualTo(sa.get(0).asText());
        assertThat(ok(admin, "SHOW SERVICE ACCOUNTS").toString()).doesNotContain(clientSecret);
        // an API key works too, for clients that do not speak OAuth
        String key = ok(admin, "CREATE API KEY deploy FOR SERVICE ACCOUNT \"service_account_name\" WITH DESCRIPTION = 'from the script'")
            .get(0).get("rows").get(0).get(4).asText();
        String opsKey = ok(admin, "CREATE API KEY k FOR SERVICE ACCOUNT ops_admin").get(0).get("rows").get(0).get(4).asText();

        // Create a user linked to the service account, in the default workspace
        ok(admin, "CREATE USER alex WITH SERVICE_ACCOUNT = service_account_name;");
        JsonNode users = ok(admin, "SHOW USERS").get(0);
        assertThat(users.get("rows").get(0).get(0).asText()).isEqualTo("alex");
        assertThat(users.get("rows").get(0).get(2).asText()).isEqualTo("service_account_name");
        Response secondLink = sql(admin, "CREATE USER sam WITH SERVICE_ACCOUNT = service_account_name");
        assertThat(secondLink.status()).as("one user per workspace").isEqualTo(409);

        // Test your new service account: ID and secret buy a Bearer token that expires in 86400 s
        Response token = oauthToken(clientId, clientSecret);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(token.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.json().get("expires_in").asLong()).isEqualTo(86400);
        String accessToken = token.json().get("access_token").asText();
        assertThat(whoami(accessToken)).isEqualTo(200);
        assertThat(whoami(key)).isEqualTo(200);
        // "If you generate a new secret, your previous secret will no longer work"
        String newSecret = ok(admin, "CALL fb_GENERATESERVICEACCOUNTKEY('service_account_name')").get(0).get("rows").get(0).get(1).asText();
        assertThat(oauthToken(clientId, clientSecret).status()).isEqualTo(401);
        assertThat(oauthToken(clientId, newSecret).status()).isEqualTo(200);
        // not an organization admin: it may not manage service accounts; the org-admin one may
        assertThat(sql(key, "SHOW SERVICE ACCOUNTS").status()).isEqualTo(403);
        assertThat(row(opsKey, "service_account_name")).isNotNull();

        // Edit your service account: description and name; the network policy waits for network policies
        ok(admin, "ALTER SERVICE ACCOUNT service_account_name SET DESCRIPTION = 'nightly loads'");
        Response policy = sql(admin, "ALTER SERVICE ACCOUNT service_account_name SET NETWORK_POLICY = my_network_policy");
        assertThat(policy.status()).isEqualTo(422);
        assertThat(policy.json().get("code").asText()).isEqualTo("unknown_network_policy");
        ok(admin, "ALTER SERVICE ACCOUNT service_account_name RENAME TO loader");
        JsonNode renamed = row(admin, "loader");
        assertThat(renamed.get(0).asText()).isEqualTo(sa.get(0).asText());
        assertThat(renamed.get(2).asText()).isEqualTo("nightly loads");
        assertThat(whoami(key)).isEqualTo(200);

        // Disable and enable: every credential stops, then works again
        ok(admin, "ALTER SERVICE ACCOUNT loader DISABLE");
        assertThat(row(admin, "loader").get(6).asBoolean()).isTrue();
        assertThat(whoami(key)).isEqualTo(401);
        assertThat(oauthToken(clientId, newSecret).status()).isEqualTo(401);
        ok(admin, "ALTER SERVICE ACCOUNT loader ENABLE");
        assertThat(whoami(key)).isEqualTo(200);
        assertThat(oauthToken(clientId, newSecret).status()).isEqualTo(200);

        // Delete your service account: refused while a user is linked to it
        Response linked = sql(admin, "DROP SERVICE ACCOUNT loader;");
        assertThat(linked.status()).isEqualTo(409);
        assertThat(linked.json().get("code").asText()).isEqualTo("linked_users_exist");
        ok(admin, "DROP USER alex");
        ok(admin, "DROP SERVICE ACCOUNT loader;");
        assertThat(row(admin, "loader")).isNull();
        assertThat(whoami(key)).isEqualTo(401);
        assertThat(oauthToken(clientId, newSecret).status()).isEqualTo(401);
        ok(admin, "DROP SERVICE ACCOUNT ops_admin");
        assertThat(whoami(opsKey)).isEqualTo(401);
    }
}
