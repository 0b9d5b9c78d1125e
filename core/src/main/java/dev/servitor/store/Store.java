// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store;

import java.util.function.Function;

/**
 * Runs work in one database transaction. A command is one {@link #write}: everything it
 * changes, audit event included, commits or rolls back together. Never nest calls: the
 * embedded SQLite store has a single connection.
 */
public interface Store {
    <T> T write(Function<Tx, T> work);

    <T> T read(Function<Tx, T> work);

    /** True if the database answers. */
    boolean ping();

    /** True while the database's storage is full: a write was refused for lack of space lately. */
    default boolean storageFull() {
        return false;
    }
}
