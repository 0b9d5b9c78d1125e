// SPDX-License-Identifier: Apache-2.0
/**
 * The only package that speaks SQL: the SQLite or PostgreSQL store, its Flyway migrations, one
 * {@link dev.servitor.store.Store} transaction per command with the Jdbi table stores, and the change
 * bus that tells the other nodes what to evict.
 */
package dev.servitor.store;
