// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.TestServer;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.TestDatabases.Engine;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A server that trusts no proxy: X-Forwarded-For is anyone's to write, so it never decides anything. */
class UntrustedForwardedForTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE); // no SERVITOR_TRUSTED_PROXIES
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private Response whoami(String key, String forwardedFor) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/whoami")).GET()
            .header("Authorization", "Bearer " + key).header("X-Forwarded-For", forwardedFor).build());
    }

    @Test
    void a_forwarded_for_claiming_an_allowed_address_does_not_help() {
        server.post("/v1/network-policies", server.adminKey(),
            "{\"name\":\"office\",\"allowed_ips\":[\"203.0.113.0/24\"]}").expect(201);
        server.post("/v1/service-accounts", server.adminKey(), "{\"name\":\"spoofer\",\"network_policy\":\"office\"}").expect(201);
        String key = server.createKey("spoofer", "k");
        Response r = whoami(key, "203.0.113.5");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("code").asText()).isEqualTo("ip_not_allowed");
        assertThat(whoami(key, "127.0.0.1, 203.0.113.5").status()).isEqualTo(403);
    }

    @Test
    void a_forwarded_for_claiming_a_blocked_address_does_not_hurt() {
        server.post("/v1/network-policies", server.adminKey(),
            "{\"name\":\"no-evil\",\"blocked_ips\":[\"198.51.100.0/24\"]}").expect(201);
        server.post("/v1/service-accounts", server.adminKey(), "{\"name\":\"framed\",\"network_policy\":\"no-evil\"}").expect(201);
        assertThat(whoami(server.createKey("framed", "k"), "198.51.100.1").status()).isEqualTo(200);
    }
}
