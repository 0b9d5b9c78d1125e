// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import java.util.Map;

/**
 * A federated credential's condition: a CEL expression over {@code claims} (the token's claims,
 * a map of string to any JSON value) that must be true. Compiled when the credential is written,
 * so a syntax or type error is a 422 naming its position; evaluation is bounded: the expression
 * is at most {@link #MAX_CHARS} characters and {@link #MAX_NODES} nodes deep and wide, a
 * comprehension ({@code exists}, {@code all}, {@code map}, ...) runs at most
 * {@link #MAX_ITERATIONS} iterations, and a regular expression at most {@link #MAX_REGEX_SIZE}
 * program instructions (RE2: linear time). A condition that fails to evaluate (a missing claim,
 * a wrong type) is false.
 */
final class CelCondition {
    static final int MAX_CHARS = 2048;
    static final int MAX_NODES = 500;
    static final int MAX_ITERATIONS = 1000;
    static final int MAX_REGEX_SIZE = 500;

    private static final Cel CEL = CelFactory.standardCelBuilder()
        .setOptions(CelOptions.newBuilder().maxExpressionCodePointSize(MAX_CHARS).maxParseExpressionNodeCount(MAX_NODES)
            .maxParseRecursionDepth(50).comprehensionMaxIterations(MAX_ITERATIONS).maxRegexProgramSize(MAX_REGEX_SIZE).build())
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS) // has(), all(), exists(), map(), filter()
        .addVar("claims", MapType.create(SimpleType.STRING, SimpleType.DYN))
        .setResultType(SimpleType.BOOL)
        .build();

    /** Programs by expression text: credentials are few, exchanges many. */
    private static final Cache<String, CelRuntime.Program> PROGRAMS = Caffeine.newBuilder().maximumSize(10_000).build();

    private CelCondition() {}

    /** Checks {@code expression}; throws 422 {@code invalid_value} on field {@code condition} with the position of the first error. */
    static void check(String expression) {
        program(expression);
    }

    /** True if the expression holds for {@code claims}; false if it does not, or cannot be evaluated. */
    static boolean holds(String expression, Map<String, Object> claims) {
        try {
            return Boolean.TRUE.equals(program(expression).eval(Map.of("claims", claims)));
        } catch (CelEvaluationException | RuntimeException e) {
            return false;
        }
    }

    private static CelRuntime.Program program(String expression) {
        CelRuntime.Program cached = PROGRAMS.getIfPresent(expression);
        if (cached != null) return cached;
        if (expression.length() > MAX_CHARS) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "condition", "'condition' must be at most " + MAX_CHARS + " characters");
        }
        try {
            CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
            CelRuntime.Program program = CEL.createProgram(ast);
            PROGRAMS.put(expression, program);
            return program;
        } catch (CelValidationException e) {
            CelIssue first = e.getErrors().get(0);
            String where = first.getSourceLocation().getLine() > 0
                ? " at line " + first.getSourceLocation().getLine() + ", column " + (first.getSourceLocation().getColumn() + 1) : "";
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "condition",
                "'condition' is not a valid CEL expression over claims" + where + ": " + first.getMessage());
        } catch (CelEvaluationException e) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "condition", "'condition' cannot be run: " + e.getMessage());
        }
    }
}
