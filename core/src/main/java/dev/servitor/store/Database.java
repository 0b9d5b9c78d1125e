// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.servitor.config.ServitorConfig;
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

    private Database(HikariDataSource dataSource, Dialect dialect, ServitorConfig.Storage storage) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.store = new JdbiStore(dataSource);
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
