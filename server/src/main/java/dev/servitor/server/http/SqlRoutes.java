// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servitor.adminql.ScriptBudget;
import dev.servitor.adminql.ScriptRun;
import dev.servitor.adminql.StatementExecutor;
import dev.servitor.caller.Caller;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/sql}: the statement language of docs/sql.md. The body is the script as text
 * (any content type but JSON, so {@code curl --data} works) or {@code {"sql": "..."}} with
 * {@code Content-Type: application/json}. The whole script is parsed first (a syntax error
 * anywhere: 400 {@code syntax_error}, nothing runs), then run statement by statement.
 *
 * <p>200 {@code {"results":[{"statement","columns","rows"}]}}; a statement without a result set
 * answers {@code "columns":[]} and {@code "rows":[]}. The first refused statement stops the
 * script: the answer is the status and problem document of the matching REST call, plus
 * {@code statement_index} (from 0), {@code statement} (its text) and {@code results} (of the
 * statements before it, which stay applied).
 *
 * <p>What one request may build is bounded (docs/configuration.md, {@code SERVITOR_SQL_*}): more
 * statements than allowed is 413 {@code too_many_statements} before anything runs; results past
 * the rows or bytes allowed stop the script at that statement with 413 {@code result_too_large}.
 * The script's memory is reserved from a pool shared by all scripts in progress before its body
 * is read (503 with {@code Retry-After} when the pool is spent), its results are charged to the
 * same pool as they are built, and the answer is written straight to the connection while the
 * {@link ScriptBudget} is still held, so that what a request holds stays counted until it is gone.
 */
final class SqlRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SqlRoutes.class);

    /** One statement's answer on the wire; rows are arrays in the order of {@code columns}. */
    record StatementResponse(String statement, List<String> columns, List<List<Object>> rows) {
        static StatementResponse of(ScriptRun.StatementResult r) {
            return new StatementResponse(r.statement().text(), r.result().columns(), r.result().rows());
        }

        @Override
        public String toString() {
            return "StatementResponse[" + statement + "]"; // rows may hold a secret shown once
        }
    }

    private final StatementExecutor executor;

    SqlRoutes(StatementExecutor executor) {
        this.executor = executor;
    }

    void register(JavalinConfig config) {
        config.routes.post("/v1/sql", this::run);
    }

    private void run(Context ctx) {
        Json.noStore(ctx); // every answer, a refusal included, may carry the results of statements before it
        Caller caller = caller(ctx);
        try (ScriptBudget budget = executor.newBudget()) {
            reserveScript(ctx, budget);
            ScriptRun run = executor.run(caller, script(ctx), budget);
            List<StatementResponse> results = run.results().stream().map(StatementResponse::of).toList();
            if (run.succeeded()) {
                send(ctx, 200, "application/json", Map.of("results", results));
            } else {
                writeFailure(ctx, run.failure(), results);
            }
        }
    }

    /** Serializes {@code body} straight into the response: no second copy of a large answer in memory. */
    private static void send(Context ctx, int status, String contentType, Object body) {
        ctx.status(status).contentType(contentType); // no-store was set when the request came in (run)
        ctx.attribute(Problems.WRITTEN, true); // the response is committed: no error page may follow
        try (OutputStream out = ctx.outputStream()) {
            Json.MAPPER.writeValue(out, body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the SQL results", e);
        } catch (IOException e) {
            LOG.debug("request {}: the client left before its SQL results were written", Problems.requestId(ctx));
        }
    }

    /** Before the body is read: a hundred parallel 1 MiB scripts must not fill the heap while they are parsed. */
    private static void reserveScript(Context ctx, ScriptBudget budget) {
        try {
            budget.reserveScript(expectedBodyBytes(ctx));
        } catch (ServiceException e) {
            ctx.header("Retry-After", "1");
            throw e;
        }
    }

    /** What the body will be: its declared length, or the most a body may be when it declares none. */
    private static int expectedBodyBytes(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        return declared >= 0 && declared <= JsonBody.MAX_BYTES ? (int) declared : JsonBody.MAX_BYTES;
    }

    /** The script of the body: text, or the {@code sql} member of a JSON object. */
    private static String script(Context ctx) {
        String type = ctx.contentType();
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            String sql = JsonBody.read(ctx, Set.of("sql")).string("sql", JsonBody.MAX_BYTES);
            if (sql == null) throw ServiceException.field(ErrorCode.MISSING_FIELD, "sql", "'sql' is required");
            return sql;
        }
        try {
            // NUL and lone surrogates are the lexer's syntax errors (docs/sql.md)
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(JsonBody.readBounded(ctx))).toString();
        } catch (CharacterCodingException e) {
            throw new ServiceException(ErrorCode.MALFORMED_REQUEST, "The body is not valid UTF-8", "body", null);
        }
    }

    /** The refused statement's problem document, as REST writes it, with where the script stopped. */
    private static void writeFailure(Context ctx, ScriptRun.Failure failure, List<StatementResponse> results) {
        ServiceException e = failure.error();
        ObjectNode body = Problems.document(ctx, e);
        body.put("statement_index", failure.statement().index());
        body.put("statement", failure.statement().text());
        body.set("results", Json.MAPPER.valueToTree(results));
        if (e.code() == ErrorCode.UNAVAILABLE) ctx.header("Retry-After", "1");
        send(ctx, e.code().status(), "application/problem+json", body);
    }
}
