// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

/**
 * A statement of a script with its position: {@code index} counts from 0 in script order and
 * {@code text} is the statement as written, from its first token to its last (without the
 * {@code ;}).
 */
public record ParsedStatement(int index, String text, int line, int column, Statement statement) {}
