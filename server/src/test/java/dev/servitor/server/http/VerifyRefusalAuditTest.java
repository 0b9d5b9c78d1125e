// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code /v1/verify} by a caller without the {@code verify} permission is refused with 403 and
 * recorded once, whichever lane answers it: the hot path hands it to the routes before the
 * verification service (which records its own refusals too) is asked, so the gate's record is
 * the only one.
 */
class VerifyRefusalAuditTest {
    static TestServer server;
    static String plain;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE);
        server.createServiceAccount("verify-plain");
        plain = server.createKey("verify-plain", "k");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long deniedVerifications() {
        JsonNode events = server.get("/v1/audit-events?page_size=1000&action=credential.verify", server.adminKey()).expect(200)
            .json().get("audit_events");
        long n = 0;
        for (JsonNode e : events) {
            if (e.get("outcome").asText().equals("denied") && e.get("actor").asText().startsWith("verify-plain@")) n++;
        }
        return n;
    }

    @Test
    void a_refusal_on_the_hot_path_is_recorded_once() {
        long before = deniedVerifications();

        server.post("/v1/verify", plain, "{\"credential\":\"" + server.adminKey() + "\"}").expect(403);

        assertThat(deniedVerifications() - before).isEqualTo(1);
    }

    @Test
    void a_refusal_on_the_ordinary_path_is_recorded_once() {
        long before = deniedVerifications();
        byte[] body = ("{\"credential\":\"" + server.adminKey() + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.url() + "/v1/verify")) // no length: not the hot path
            .header("Authorization", "Bearer " + plain).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();

        assertThat(server.send(chunked).status()).isEqualTo(403);

        assertThat(deniedVerifications() - before).isEqualTo(1);
    }
}
