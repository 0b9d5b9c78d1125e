// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;

/**
 * Tells a database that is unreachable or went away (503, worth a retry) from a statement that
 * failed (a bug: 500). SQL states of class 08 are connection exceptions; 57P01–57P03 are
 * PostgreSQL's administrator shutdown, crash shutdown and "cannot connect now".
 */
final class ConnectionFailures {
    private ConnectionFailures() {}

    static boolean isConnectionFailure(Throwable e) {
        if (e instanceof ConnectionException) return true;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P0")) return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }

    /** The failure's chain as {@link DatabaseFailure#describe} writes each link: a driver's message may carry bound values. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 500; t = t.getCause()) {
            if (sb.length() > 0) sb.append(" <- ");
            sb.append(DatabaseFailure.describe(t));
            if (t.getCause() == t) break;
        }
        return sb.toString();
    }
}
