// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The migrations build the same schema on both engines: the same tables with the same columns
 * and primary keys, as JDBC metadata reports them. Dialect overrides must not drift apart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationSchemaTest {
    private static final Set<String> IGNORED = Set.of("flyway_schema_history");

    private Map<String, Table> sqlite;
    private Map<String, Table> postgres;

    /** Lower-case column names, in sorted order, and the lower-case primary key columns. */
    record Table(Set<String> columns, Set<String> primaryKey) {}

    @BeforeAll
    void migrateBoth() throws SQLException {
        try (Database db = Database.open(TestDatabases.sqlite())) {
            assertThat(db.dialect()).isEqualTo(Database.Dialect.SQLITE);
            sqlite = schema(db, null);
        }
        try (Database db = Database.open(TestDatabases.postgres())) {
            assertThat(db.dialect()).isEqualTo(Database.Dialect.POSTGRES);
            postgres = schema(db, "public");
        }
    }

    @AfterAll
    void nothingToClose() {
        // each Database was closed right after reading its schema
    }

    @Test
    void both_engines_have_the_same_tables() {
        assertThat(sqlite.keySet()).isEqualTo(postgres.keySet());
        assertThat(sqlite.keySet()).contains("organizations", "users", "service_accounts", "api_keys", "audit_events");
    }

    @Test
    void every_table_has_the_same_column_names_on_both_engines() {
        for (String table : postgres.keySet()) {
            assertThat(sqlite.get(table)).as("table %s on SQLite", table).isNotNull();
            assertThat(sqlite.get(table).columns()).as("columns of %s", table).isEqualTo(postgres.get(table).columns());
            assertThat(postgres.get(table).columns()).as("columns of %s", table).isNotEmpty();
        }
    }

    @Test
    void every_table_has_the_same_primary_key_on_both_engines() {
        for (String table : postgres.keySet()) {
            assertThat(sqlite.get(table).primaryKey()).as("primary key of %s", table)
                .isEqualTo(postgres.get(table).primaryKey())
                .isNotEmpty();
        }
    }

    @Test
    void migrating_an_already_migrated_database_changes_nothing() throws SQLException {
        var storage = TestDatabases.sqlite();
        Map<String, Table> first;
        try (Database db = Database.open(storage)) {
            first = schema(db, null);
        }
        try (Database db = Database.open(storage)) {
            assertThat(schema(db, null)).isEqualTo(first);
        }
    }

    private static Map<String, Table> schema(Database db, String schemaPattern) throws SQLException {
        Map<String, Table> tables = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            try (ResultSet rs = md.getTables(null, schemaPattern, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (IGNORED.contains(lower) || lower.startsWith("sqlite_")) continue;
                    tables.put(lower, new Table(columns(md, schemaPattern, name), primaryKey(md, schemaPattern, name)));
                }
            }
        }
        return tables;
    }

    private static Set<String> columns(DatabaseMetaData md, String schema, String table) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (ResultSet rs = md.getColumns(null, schema, table, "%")) {
            while (rs.next()) out.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static Set<String> primaryKey(DatabaseMetaData md, String schema, String table) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (ResultSet rs = md.getPrimaryKeys(null, schema, table)) {
            while (rs.next()) out.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
