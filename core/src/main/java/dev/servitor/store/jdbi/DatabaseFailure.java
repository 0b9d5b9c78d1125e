// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;

/**
 * A failure as the log may show it. The messages of a database failure can carry the request's
 * values (a driver's "Failing row contains (...)", a statement's bound arguments), which a
 * caller chooses and may be a secret or a forged log line; so when a database exception is
 * in the chain, every message is replaced by the exception's class and, for an SQL
 * exception, its SQL state and vendor code. The stack traces stay. (The store's own
 * exceptions render no bound values either: {@link JdbiStore}.)
 */
public final class DatabaseFailure extends RuntimeException {
    private static final int MAX_CAUSES = 16;

    private DatabaseFailure(String description, Throwable cause, StackTraceElement[] trace) {
        super(description, cause, false, true);
        setStackTrace(trace);
    }

    /** {@code e} itself when no database exception is in its chain, else its redacted copy. */
    public static Throwable loggable(Throwable e) {
        return involvesDatabase(e) ? redacted(e, 0) : e;
    }

    private static boolean involvesDatabase(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException || t instanceof JdbiException) return true;
        }
        return false;
    }

    private static Throwable redacted(Throwable e, int depth) {
        Throwable cause = e.getCause() == null || e.getCause() == e || depth >= MAX_CAUSES ? null : redacted(e.getCause(), depth + 1);
        return new DatabaseFailure(describe(e), cause, e.getStackTrace());
    }

    static String describe(Throwable e) {
        String name = e.getClass().getName();
        return e instanceof SQLException sql ? name + " (SQL state " + sql.getSQLState() + ", error code " + sql.getErrorCode() + ")" : name;
    }
}
