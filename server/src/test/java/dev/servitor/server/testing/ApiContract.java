// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.testing.TestDatabases.Engine;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the HTTP contract tests: one real server per test class, on the engine the concrete
 * subclass names, so the same assertions run against SQLite and PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ApiContract {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    protected TestServer server;

    protected abstract Engine engine();

    @BeforeAll
    void startServer() {
        server = TestServer.start(engine(), this::configure);
    }

    /** Adjusts the configuration of this class's server; the defaults unless overridden. */
    protected dev.servitor.config.ServitorConfig configure(dev.servitor.config.ServitorConfig config) {
        return config;
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    protected String admin() {
        return server.adminKey();
    }

    /** A name no other test of this class uses. */
    protected static String unique(String base) {
        return base + "-" + COUNTER.incrementAndGet();
    }

    /** The answer of /v1/verify for {@code credential}, asked by the admin. */
    protected JsonNode verify(String credential) {
        return server.post("/v1/verify", admin(), "{\"credential\":\"" + credential + "\"}").expect(200).json();
    }

    protected int status(String key) {
        return server.get("/v1/whoami", key).status();
    }
}
