// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import dev.servitor.common.ServiceException;
import java.util.List;

/**
 * The outcome of running a script: the results of the statements that ran, in order, and, if
 * one was refused, which and why. The statements before the refused one stay applied; the
 * ones after it were not run.
 */
public record ScriptRun(List<StatementResult> results, Failure failure) {

    public record StatementResult(ParsedStatement statement, ResultSet result) {}

    /** The refused statement and the refusal, exactly as the matching service call threw it. */
    public record Failure(ParsedStatement statement, ServiceException error) {}

    public boolean succeeded() {
        return failure == null;
    }
}
