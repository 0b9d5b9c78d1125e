// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Datafold page (shared/seeds/004_…): an admin creates a service account with no keys,
 * issues up to 50 named keys with an optional expiry in days, uses them with
 * {@code Authorization: Key}, disables and enables the account, edits it, revokes one key,
 * and deletes the account. Through REST. Groups, and hiding from user lists, arrive with the
 * access-control issue.
 */
class DatafoldStoryTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int callWithKey(String key) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/whoami"))
            .header("Authorization", "Key " + key).build()).status();
    }

    @Test
    void the_service_account_life_cycle() {
        String admin = server.adminKey();
        JsonNode sa = server.post("/v1/service-accounts", admin, "{\"name\":\"dbt-cloud-prod\",\"description\":\"dbt jobs\"}")
            .expect(201).json();
        assertThat(sa.get("key_count").asInt()).as("no API keys are issued yet").isZero();
        assertThat(sa.get("email").asText()).endsWith(".sa.servitor.local");

        // keys named after where they run, with an optional expiry in days
        JsonNode prod = server.post("/v1/service-accounts/dbt-cloud-prod/keys", admin,
            "{\"name\":\"github-actions-prod\",\"description\":\"prod runner\",\"expires_in_days\":90}").expect(201).json();
        assertThat(Duration.between(Instant.parse(prod.get("created_at").asText()), Instant.parse(prod.get("expires_at").asText())))
            .isEqualTo(Duration.ofDays(90));
        String staging = server.post("/v1/service-accounts/dbt-cloud-prod/keys", admin, "{\"name\":\"github-actions-staging\"}")
            .expect(201).json().get("key").asText();
        assertThat(callWithKey(prod.get("key").asText())).isEqualTo(200);

        // up to 50 active keys
        for (int i = 2; i < 50; i++) {
            server.post("/v1/service-accounts/dbt-cloud-prod/keys", admin, "{\"name\":\"region-" + i + "\"}").expect(201);
        }
        JsonNode refused = server.post("/v1/service-accounts/dbt-cloud-prod/keys", admin, "{\"name\":\"one-too-many\"}").expect(409).json();
        assertThat(refused.get("code").asText()).isEqualTo("key_limit_reached");

        // disable: every key stops; enable: they resume
        server.post("/v1/service-accounts/dbt-cloud-prod/disable", admin, null).expect(200);
        assertThat(callWithKey(prod.get("key").asText())).isEqualTo(401);
        assertThat(callWithKey(staging)).isEqualTo(401);
        server.post("/v1/service-accounts/dbt-cloud-prod/enable", admin, null).expect(200);
        assertThat(callWithKey(prod.get("key").asText())).isEqualTo(200);

        // edit name and description
        server.patch("/v1/service-accounts/dbt-cloud-prod", admin, "{\"name\":\"dbt-prod\",\"description\":\"moved\"}").expect(200);
        assertThat(callWithKey(staging)).isEqualTo(200);

        // revoke a single leaked key without touching the account
        server.delete("/v1/service-accounts/dbt-prod/keys/" + prod.get("id").asText(), admin).expect(204);
        assertThat(callWithKey(prod.get("key").asText())).isEqualTo(401);
        assertThat(callWithKey(staging)).isEqualTo(200);
        server.post("/v1/service-accounts/dbt-prod/keys", admin, "{\"name\":\"replacement\"}").expect(201);

        // delete: permanently revokes every key
        server.delete("/v1/service-accounts/dbt-prod", admin).expect(204);
        assertThat(callWithKey(staging)).isEqualTo(401);
    }
}
