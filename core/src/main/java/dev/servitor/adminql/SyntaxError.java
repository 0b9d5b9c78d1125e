// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;

/** Builds the one refusal of bad text: 400 {@code syntax_error}, "line L, column C: what was expected, what was found". */
final class SyntaxError {
    private SyntaxError() {}

    static ServiceException at(int line, int column, String message) {
        return new ServiceException(ErrorCode.SYNTAX_ERROR, "line " + line + ", column " + column + ": " + message);
    }

    static ServiceException at(Token t, String message) {
        return at(t.line(), t.column(), message);
    }
}
