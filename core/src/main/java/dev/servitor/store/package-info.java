// SPDX-License-Identifier: Apache-2.0
/**
 * Transactions as every feature sees them: one {@link dev.servitor.store.Store} transaction per
 * command, in which a feature asks for its own table store by type ({@link dev.servitor.store.Tx#table});
 * announcements of a change to the other nodes ({@link dev.servitor.store.ChangeBus},
 * {@link dev.servitor.store.CacheInvalidation}). No SQL and no feature's types: the implementation
 * that knows them all is {@code dev.servitor.store.jdbi}, at the top of core.
 */
package dev.servitor.store;
