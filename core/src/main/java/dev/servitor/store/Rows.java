// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Column helpers shared by the table stores. */
final class Rows {
    private Rows() {}

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Long millis(Instant i) {
        return i == null ? null : i.toEpochMilli();
    }

    /** True if the statement failed on a UNIQUE constraint (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE). */
    static boolean isUniqueViolation(UnableToExecuteStatementException e) {
        Throwable c = e.getCause();
        if (c instanceof SQLException sql) {
            return "23505".equals(sql.getSQLState()) || sql.getErrorCode() == 2067
                || String.valueOf(sql.getMessage()).contains("UNIQUE constraint failed");
        }
        return false;
    }

    /** Rows of (key, value) pairs as each key's values, in row order. */
    static Map<String, List<String>> groupPairs(Query q) {
        Map<String, List<String>> out = new HashMap<>();
        q.map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
            .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }
}
