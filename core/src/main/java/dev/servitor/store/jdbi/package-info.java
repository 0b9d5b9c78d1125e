// SPDX-License-Identifier: Apache-2.0
/**
 * The only package that speaks SQL: the SQLite or PostgreSQL database ({@link dev.servitor.store.jdbi.Database})
 * with its Flyway migrations, the Jdbi store that runs each transaction and hands out the table
 * stores, one {@code Jdbi*Store} per table group with every statement as a named constant, the
 * PostgreSQL change bus, and the redaction of database failures before they are logged. It
 * implements every feature's store interface, so it sits above them all; only the composition
 * root names it.
 */
package dev.servitor.store.jdbi;
