// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store;

/**
 * One open transaction. A feature asks it for its own table store by type
 * ({@code tx.table(OrgStore.class)}): the transaction knows no feature, so every feature can use
 * it, and the implementations that know every feature's rows live above them all
 * ({@code dev.servitor.store.jdbi}).
 */
public interface Tx {
    /** The store of {@code type}'s tables, on this transaction's connection. */
    <S> S table(Class<S> type);

    /**
     * Tells every other node about this transaction's change (PostgreSQL NOTIFY, sent by the
     * database at commit and never without it, so a node killed right after the commit cannot
     * leave the others unaware). Does nothing on SQLite, which has one node.
     */
    void announce(String payload);

    /** Runs {@code action} on this node once the transaction has committed (never if it rolls back). */
    void afterCommit(Runnable action);
}
