// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MotherDuck guide (shared/seeds/001_…): an admin token creates a service account, mints
 * tokens with name, ttl (sent as a string) and token_type, lists them with type and expiry,
 * revokes one, and deletes the account, which revokes every token at once. Through REST with
 * {@code Authorization: Bearer}. An admin impersonates the account for two hours. Duckling
 * sizes arrive with the access-control issue.
 */
class MotherDuckStoryTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.POSTGRES);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void an_admin_creates_a_service_account_tokens_lists_revokes_and_deletes() {
        String admin = server.adminKey();
        // Step 1: create the service account by username
        JsonNode sa = server.post("/v1/service-accounts", admin, "{\"name\":\"my-service-account-001\"}").expect(201).json();
        assertThat(sa.get("name").asText()).isEqualTo("my-service-account-001");

        // Step 2: an access token with the reference's field names, ttl as a string of seconds
        JsonNode token = server.post("/v1/service-accounts/my-service-account-001/keys", admin,
            "{\"name\":\"token-for-my-service-account-001\",\"token_type\":\"read_write\",\"ttl\":\"300\"}").expect(201).json();
        String rw = token.get("key").asText();
        assertThat(Duration.between(Instant.parse(token.get("created_at").asText()), Instant.parse(token.get("expires_at").asText())))
            .isEqualTo(Duration.ofSeconds(300));
        JsonNode scaling = server.post("/v1/service-accounts/my-service-account-001/keys", admin,
            "{\"name\":\"bi-dashboards\",\"token_type\":\"read_scaling\"}").expect(201).json();
        String rs = scaling.get("key").asText();
        assertThat(scaling.get("expires_at").isNull()).as("no ttl: the token does not expire").isTrue();

        // the service account uses its tokens; a gateway routes on the token type
        assertThat(server.post("/v1/verify", admin, "{\"credential\":\"" + rs + "\"}").json().get("credential").get("type").asText())
            .isEqualTo("read_scaling");
        assertThat(server.get("/v1/whoami", rw).expect(200).json().get("principal").get("name").asText())
            .isEqualTo("my-service-account-001");

        // View tokens: type, id, creation and expiry of each valid token
        JsonNode tokens = server.get("/v1/service-accounts/my-service-account-001/keys", admin).expect(200).json().get("keys");
        assertThat(tokens).extracting(t -> t.get("type").asText()).containsExactlyInAnyOrder("read_write", "read_scaling");
        tokens.forEach(t -> assertThat(t.has("created_at") && t.has("expires_at") && t.has("id")).isTrue());

        // Revoke one token: it alone stops working
        server.delete("/v1/service-accounts/my-service-account-001/keys/" + token.get("id").asText(), admin).expect(204);
        server.get("/v1/whoami", rw).expect(401);
        server.get("/v1/whoami", rs).expect(200);

        // the ttl runs out on its own too
        String shortLived = server.post("/v1/service-accounts/my-service-account-001/keys", admin,
            "{\"name\":\"five-minutes\",\"ttl\":300}").expect(201).json().get("key").asText();
        server.clock().advance(Duration.ofSeconds(301));
        server.get("/v1/whoami", shortLived).expect(401);

        // Impersonate: the admin acts as the account for two hours; calling again refreshes
        JsonNode imp = server.post("/v1/service-accounts/my-service-account-001/impersonate", admin, null).expect(200).json();
        assertThat(imp.get("expires_in").asLong()).isEqualTo(7200);
        String asAccount = imp.get("access_token").asText();
        JsonNode me = server.get("/v1/whoami", asAccount).expect(200).json();
        assertThat(me.get("principal").get("name").asText()).isEqualTo("my-service-account-001");
        assertThat(me.get("actor").get("name").asText()).isEqualTo("admin");
        server.clock().advance(Duration.ofMinutes(90));
        String refreshed = server.post("/v1/service-accounts/my-service-account-001/impersonate", admin, null).expect(200)
            .json().get("access_token").asText();
        server.clock().advance(Duration.ofMinutes(31));
        server.get("/v1/whoami", asAccount).expect(401);
        server.get("/v1/whoami", refreshed).expect(200);

        // Delete the account: every token is revoked immediately
        server.delete("/v1/service-accounts/my-service-account-001", admin).expect(204);
        server.get("/v1/whoami", rs).expect(401);
        server.get("/v1/whoami", refreshed).expect(401);
        server.get("/v1/service-accounts/my-service-account-001", admin).expect(404);
    }
}
