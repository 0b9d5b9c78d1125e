// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
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

    /**
     * A query with string parameters ({@code ?}) on the handle's own connection, without Jdbi's
     * per-statement objects (context, bindings, argument lookup, template pass): for the two
     * reads of a cold verification, which run on every cache miss and were most of its
     * allocation (bench/LOG.md, "Cold verification").
     */
    static <T> List<T> plainQuery(Handle h, String sql, RowMapper<T> mapper, String... params) {
        try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>(2);
                while (rs.next()) out.add(mapper.map(rs, null)); // the table stores' mappers do not use the context
                return out;
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** Rows of (key, value) pairs as each key's values, in row order. */
    static Map<String, List<String>> groupPairs(Query q) {
        Map<String, List<String>> out = new HashMap<>();
        q.map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
            .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }
}
