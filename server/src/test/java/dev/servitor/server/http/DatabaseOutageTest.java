// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.config.ServitorConfig;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.HoldingProxy;
import dev.servitor.testing.TestDatabases.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * PostgreSQL going away under a running server, through a proxy that can refuse connections (the
 * database stopped) or hold every byte (a silent network cut). Requests must get a 503 problem
 * within seconds, never wait out a 30 s pool timeout nor get a 500; {@code /readyz} must answer
 * within about a second whatever the database does; and everything must work again after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageTest {
    HoldingProxy proxy;
    TestServer server;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(Engine.POSTGRES, this::throughProxy);
    }

    private ServitorConfig throughProxy(ServitorConfig config) {
        try {
            HoldingProxy.Fronted fronted = HoldingProxy.inFrontOf(config.storage());
            proxy = fronted.proxy();
            return config.withStorage(fronted.storage());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void heal() {
        proxy.release();
    }

    @AfterAll
    void stop() throws Exception {
        proxy.release();
        server.close();
        proxy.close();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void a_stopped_database_gets_503_problems_within_seconds_and_readyz_says_so_within_one() {
        server.get("/v1/service-accounts", server.adminKey()).expect(200);
        server.createServiceAccount("outage-client");
        var secret = server.post("/v1/service-accounts/outage-client/secret", server.adminKey(), null).expect(201).json();
        String basic = java.util.Base64.getEncoder().encodeToString((secret.get("client_id").asText() + ":"
            + secret.get("client_secret").asText()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        proxy.refuse();
        // a client whose secret is right must learn to retry, not that its grant is invalid
        TestServer.Response grant = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/oauth/token"))
            .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        assertThat(grant.status()).as(grant.body()).isEqualTo(503);
        assertThat(grant.json().get("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(grant.header("Retry-After")).isEqualTo("1");
        long t0 = System.nanoTime();
        TestServer.Response ready = server.get("/readyz", null);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(millisSince(t0)).isLessThan(2_500);
        for (int i = 0; i < 3; i++) {
            t0 = System.nanoTime();
            TestServer.Response r = server.post("/v1/service-accounts", server.adminKey(), "{\"name\":\"outage-" + i + "\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.json().get("code").asText()).isEqualTo("unavailable");
            assertThat(millisSince(t0)).as("answered within the connection timeout, not the pool's 30 s").isLessThan(8_000);
        }
        proxy.release();
        long healedAt = System.nanoTime();
        while (server.get("/readyz", null).status() != 200) {
            assertThat(millisSince(healedAt)).as("ready again").isLessThan(15_000);
            sleep(200);
        }
        server.post("/v1/service-accounts", server.adminKey(), "{\"name\":\"after-outage\"}").expect(201);
    }

    @Test
    void readyz_answers_within_about_a_second_while_the_database_is_silent() {
        server.get("/readyz", null).expect(200);
        sleep(1_100); // past the probe's freshness, so the next probe pings the silent store
        proxy.hold();
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            int status = server.get("/readyz", null).status();
            assertThat(millisSince(t0)).isLessThan(2_500);
            assertThat(status).isEqualTo(503);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
