// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import java.util.List;

/**
 * What one statement answers: column names and rows of values in column order (String,
 * Boolean, Long, {@link java.time.Instant} or null). A statement without a result set answers
 * {@link #NONE}: no columns and no rows.
 */
public record ResultSet(List<String> columns, List<List<Object>> rows) {
    public static final ResultSet NONE = new ResultSet(List.of(), List.of());

    public ResultSet {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    @Override
    public String toString() {
        return "ResultSet" + columns + "[" + rows.size() + " rows]"; // rows may hold a secret shown once
    }
}
