// SPDX-License-Identifier: Apache-2.0
/**
 * The statement language of docs/sql.md ("AdminQL"): a hand-written {@link dev.servitor.adminql.Lexer},
 * an LL(1) recursive-descent {@link dev.servitor.adminql.Parser} producing {@link dev.servitor.adminql.Statement}
 * records, and a {@link dev.servitor.adminql.StatementExecutor} that turns each statement into calls of the
 * application services (service accounts, API keys, client secrets, network policies, workspace
 * users) with the caller's {@link dev.servitor.caller.Caller}.
 *
 * <p>Security promise: this package decides nothing. It makes no permission check and applies
 * no rule of its own, so a statement is allowed, refused and audited exactly as the matching
 * REST call. Hostile text is bounded: at most {@link dev.servitor.adminql.Parser#MAX_CHARS}
 * characters, {@link dev.servitor.adminql.Parser#MAX_STATEMENTS} statements by default,
 * {@link dev.servitor.adminql.Lexer#MAX_DEPTH} nested parentheses and
 * {@link dev.servitor.adminql.Parser#MAX_LIST_ITEMS} items per list; the parser never
 * backtracks, so its time is linear in the text. What a script builds is bounded too: its
 * statements (configurable, 413 {@code too_many_statements}) and, through a
 * {@link dev.servitor.adminql.ScriptBudget}, the rows and bytes of its results, alone and together
 * with every other script in progress.
 */
package dev.servitor.adminql;
