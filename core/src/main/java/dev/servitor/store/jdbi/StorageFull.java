// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Recognises a write refused for lack of space: SQLite's SQLITE_FULL, PostgreSQL's {@code disk_full} (53100). */
final class StorageFull {
    private static final String POSTGRES_DISK_FULL = "53100";

    private StorageFull() {}

    /** The database's own report of the full storage among the causes of {@code e}, or null. */
    static SQLException cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException s && s.getResultCode() == SQLiteErrorCode.SQLITE_FULL) return s;
            if (t instanceof SQLException s && POSTGRES_DISK_FULL.equals(s.getSQLState())) return s;
        }
        return null;
    }
}
