// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A full disk while running: writes answer 503 {@code storage_full} (not 500) and {@code /readyz}
 * says the node is not ready, until space is back. SQLite's {@code max_page_count} makes the
 * database full the way a full disk does (the same SQLITE_FULL), without root or a tiny file system.
 */
class StorageFullTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Caps the database at its current size (0: no cap), on the store's one connection. */
    private static void capDatabase(boolean cap) throws SQLException {
        try (Connection c = server.servitor().database().dataSource().getConnection(); Statement s = c.createStatement()) {
            long pages;
            try (ResultSet r = s.executeQuery("PRAGMA page_count")) {
                r.next();
                pages = r.getLong(1);
            }
            s.execute("PRAGMA max_page_count = " + (cap ? pages : 1_073_741_823L));
        }
    }

    private static TestServer.Response create(int i) {
        return server.post("/v1/service-accounts", server.adminKey(),
            "{\"name\":\"filler-" + i + "\",\"description\":\"" + "d".repeat(1000) + "\"}");
    }

    @Test
    void a_full_disk_answers_503_storage_full_and_readyz_is_not_ready_until_space_is_back() throws Exception {
        server.get("/readyz", null).expect(200);
        capDatabase(true);
        TestServer.Response refused = null;
        int i = 0;
        try {
            for (; i < 500 && refused == null; i++) {
                TestServer.Response r = create(i);
                if (r.status() != 201) refused = r;
            }
            assertThat(refused).as("a write was refused within 500 creations").isNotNull();
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("code").asText()).isEqualTo("storage_full");
            assertThat(refused.json().get("detail").asText()).contains("storage is full");

            TestServer.Response ready = server.get("/readyz", null);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().get("database").asText()).isEqualTo("full");
            server.get("/healthz", null).expect(200);
            server.get("/v1/whoami", server.adminKey()).expect(200); // reads still work
        } finally {
            capDatabase(false);
        }
        create(i).expect(201);
        long deadline = System.nanoTime() + 40_000_000_000L;
        while (server.get("/readyz", null).status() != 200) {
            assertThat(System.nanoTime()).as("ready again once no write has been refused for a while").isLessThan(deadline);
            Thread.sleep(500);
        }
    }
}
