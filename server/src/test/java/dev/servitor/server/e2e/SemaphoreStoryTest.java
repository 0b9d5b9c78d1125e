// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Semaphore CI page (shared/seeds/003_…): create a service account with name, description
 * and role; its one token is shown once; it calls the API with {@code Authorization: Token};
 * edit it; reset the token (the old one stops at once); delete it. Through REST. The console
 * log-in refusal arrives with the session issue.
 */
class SemaphoreStoryTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int callWithToken(String token) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/whoami"))
            .header("Authorization", "Token " + token).build()).status();
    }

    @Test
    void create_use_edit_reset_and_delete_a_service_account() {
        String admin = server.adminKey();
        // 4-5. name, description, role; the API token is shown once
        JsonNode sa = server.post("/v1/service-accounts", admin,
            "{\"name\":\"deploy-bot\",\"description\":\"Deploys from CI\",\"role\":\"contributor\",\"issue_key\":true}")
            .expect(201).json();
        String token = sa.get("key").get("key").asText();
        assertThat(sa.get("role").asText()).isEqualTo("contributor");
        assertThat(server.get("/v1/service-accounts/deploy-bot", admin).body()).doesNotContain(token);
        assertThat(server.get("/v1/service-accounts/deploy-bot/keys", admin).body()).doesNotContain(token);

        // use it like a user token
        assertThat(callWithToken(token)).isEqualTo(200);

        // edit name, description and role
        server.patch("/v1/service-accounts/deploy-bot", admin,
            "{\"name\":\"release-bot\",\"description\":\"Releases\",\"role\":\"viewer\"}").expect(200);
        JsonNode edited = server.get("/v1/service-accounts/release-bot", admin).expect(200).json();
        assertThat(edited.get("description").asText()).isEqualTo("Releases");
        assertThat(edited.get("role").asText()).isEqualTo("viewer");
        assertThat(callWithToken(token)).isEqualTo(200);

        // reset the token: a new one, and the old one revoked at once
        String keyId = sa.get("key").get("id").asText();
        String fresh = server.post("/v1/service-accounts/release-bot/keys/" + keyId + "/rotate", admin, null).expect(201)
            .json().get("key").asText();
        assertThat(callWithToken(token)).isEqualTo(401);
        assertThat(callWithToken(fresh)).isEqualTo(200);

        // delete: access is revoked
        server.delete("/v1/service-accounts/release-bot", admin).expect(204);
        assertThat(callWithToken(fresh)).isEqualTo(401);
    }
}
