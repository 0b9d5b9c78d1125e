// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.servitor.config.ServitorConfig;
import dev.servitor.store.ChangeBus;
import dev.servitor.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Opens the configured store (embedded SQLite file, or PostgreSQL), migrates it with Flyway,
 * and hands out the {@link Store}. The only dialect differences live here and in the
 * {@code ${name}} migration placeholder.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final JdbiStore store;
    private final ChangeBus changes;

    public enum Dialect { SQLITE, POSTGRES }

    static final long PG_CONNECTION_TIMEOUT_MS = 3_000;
    static final long SQLITE_CONNECTION_TIMEOUT_MS = 10_000;
    /** No statement of Servitor's runs for long; one that waits this long is on a dead link. */
    static final int PG_SOCKET_TIMEOUT_SECONDS = 10;

    private Database(HikariDataSource dataSource, Dialect dialect, ServitorConfig.Storage storage) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.store = new JdbiStore(dataSource, dialect == Dialect.POSTGRES);
        this.changes = dialect == Dialect.POSTGRES ? new PgChangeBus(dataSource, storage) : ChangeBus.NONE;
    }

    public static Database open(ServitorConfig.Storage storage) {
        HikariConfig hc = new HikariConfig();
        Dialect dialect;
        if (storage.isPostgres()) {
            dialect = Dialect.POSTGRES;
            hc.setJdbcUrl(storage.dbUrl());
            if (storage.dbUser() != null) hc.setUsername(storage.dbUser());
            if (storage.dbPassword() != null) hc.setPassword(storage.dbPassword());
            hc.setMaximumPoolSize(storage.poolSize());
            // an outage answers 503 within seconds instead of holding every request for Hikari's 30 s,
            // and a silent network cut fails a statement instead of hanging it
            hc.setConnectionTimeout(PG_CONNECTION_TIMEOUT_MS);
            hc.setValidationTimeout(1_000);
            hc.addDataSourceProperty("connectTimeout", "3");
            hc.addDataSourceProperty("loginTimeout", "3");
            hc.addDataSourceProperty("socketTimeout", Integer.toString(PG_SOCKET_TIMEOUT_SECONDS));
            hc.addDataSourceProperty("tcpKeepAlive", "true");
            hc.addDataSourceProperty("logServerErrorDetail", "false"); // a DETAIL such as "Failing row contains (...)" holds row values
        } else if (storage.dbUrl() == null || storage.dbUrl().startsWith("jdbc:sqlite:")) {
            dialect = Dialect.SQLITE;
            String url = storage.dbUrl();
            if (url == null) {
                try {
                    Files.createDirectories(storage.dataDir());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create data directory " + storage.dataDir(), e);
                }
                url = "jdbc:sqlite:" + storage.dataDir().resolve("servitor.db");
            }
            hc.setJdbcUrl(url);
            // SQLite has one writer: one connection serializes every transaction without SQLITE_BUSY.
            hc.setMaximumPoolSize(1);
            hc.setConnectionTimeout(SQLITE_CONNECTION_TIMEOUT_MS); // requests queue for the one connection; a wait this long is an outage
            hc.addDataSourceProperty("journal_mode", "WAL");
            hc.addDataSourceProperty("synchronous", "NORMAL");
            hc.addDataSourceProperty("foreign_keys", "true");
            hc.addDataSourceProperty("busy_timeout", "10000");
        } else {
            throw new IllegalArgumentException("unsupported database URL (use jdbc:postgresql:… or jdbc:sqlite:…)");
        }
        hc.setPoolName("servitor");
        HikariDataSource ds = new HikariDataSource(hc);
        try {
            migrate(ds, dialect);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, dialect, storage);
    }

    private static void migrate(DataSource ds, Dialect dialect) {
        String nameType = dialect == Dialect.POSTGRES ? "TEXT COLLATE \"C\"" : "TEXT";
        Flyway.configure()
            .dataSource(ds)
            .locations("classpath:db/migration/common")
            .placeholders(Map.of("name", nameType))
            .load()
            .migrate();
    }

    public Store store() {
        return store;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Change announcements between nodes: LISTEN/NOTIFY on PostgreSQL, nothing on SQLite. */
    public ChangeBus changes() {
        return changes;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        changes.close();
        dataSource.close();
    }
}
