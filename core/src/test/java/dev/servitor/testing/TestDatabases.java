// SPDX-License-Identifier: Apache-2.0
package dev.servitor.testing;

import dev.servitor.config.ServitorConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real databases for tests. SQLite: a fresh file in a temporary directory. PostgreSQL: the
 * server named by {@code SERVITOR_TEST_PG_URL} (a JDBC URL with user and password), else one
 * embedded PostgreSQL per JVM (io.zonky.test) - in both cases a fresh database per call, so
 * test classes never see each other's rows.
 */
public final class TestDatabases {
    public enum Engine { SQLITE, POSTGRES }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile EmbeddedPostgres embedded;

    private TestDatabases() {}

    public static ServitorConfig.Storage fresh(Engine engine) {
        return engine == Engine.SQLITE ? sqlite() : postgres();
    }

    public static ServitorConfig.Storage sqlite() {
        return new ServitorConfig.Storage(tempDir("servitor-test-"), null, null, null, 1);
    }

    public static ServitorConfig.Storage postgres() {
        String name = "servitor_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        String external = System.getenv("SERVITOR_TEST_PG_URL");
        String adminUrl = external != null ? external : embedded().getJdbcUrl("postgres", "postgres");
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + redact(adminUrl), e);
        }
        String url = replaceDatabase(adminUrl, name);
        // the data directory still holds node-local files (the master key) when the store is PostgreSQL
        return new ServitorConfig.Storage(tempDir("servitor-pg-"), url, null, null, 8);
    }

    /** A temporary directory removed with its contents when the test JVM exits. */
    private static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: the JVM is exiting
        }
    }

    /** The JDBC URL with the database part replaced, keeping any parameters (user, password). */
    static String replaceDatabase(String url, String database) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String params = q < 0 ? "" : url.substring(q);
        int slash = base.lastIndexOf('/');
        return base.substring(0, slash + 1) + database + params;
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    private static synchronized EmbeddedPostgres embedded() {
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL; set SERVITOR_TEST_PG_URL to use a server", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is exiting anyway
                }
            }));
        }
        return embedded;
    }
}
