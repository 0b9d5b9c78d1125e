// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.store.jdbi.DatabaseFailure;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become problem documents. Public detail goes to the caller;
 * internal detail and stack traces go to the log only, keyed by request id.
 */
final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    static final String WRITTEN = "servitor.problem-written";
    static final String TYPE_BASE = "https://servitor.dev/problems/";

    private Problems() {}

    static void register(JavalinConfig config) {
        config.routes.exception(ServiceException.class, (e, ctx) -> write(ctx, e.code().status(), document(ctx, e)));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            ErrorCode code = switch (e.getStatus()) {
                case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
                case 404 -> ErrorCode.NOT_FOUND;
                case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
                case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
                default -> e.getStatus() < 500 ? ErrorCode.MALFORMED_REQUEST : ErrorCode.INTERNAL;
            };
            write(ctx, code, code.title(), null);
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} failed", requestId(ctx), DatabaseFailure.loggable(e)); // no bound value reaches the log
            write(ctx, ErrorCode.INTERNAL, "Something went wrong; quote request id " + requestId(ctx), null);
        });
        config.routes.error(404, ctx -> {
            if (ctx.attribute(WRITTEN) == null) write(ctx, ErrorCode.NOT_FOUND, "No such endpoint: " + ctx.method() + " " + ctx.path(), null);
        });
        config.routes.error(405, ctx -> {
            if (ctx.attribute(WRITTEN) == null) write(ctx, ErrorCode.METHOD_NOT_ALLOWED, ctx.method() + " is not allowed on " + ctx.path(), null);
        });
    }

    static void write(Context ctx, ErrorCode code, String detail, String field) {
        write(ctx, code.status(), problem(code, detail, field, requestId(ctx)));
    }

    private static void write(Context ctx, int status, Object document) {
        JsonBody.discardUnread(ctx);
        Json.write(ctx, status, document);
        ctx.contentType("application/problem+json"); // after write: setting the body resets the type
        ctx.attribute(WRITTEN, true);
    }

    /**
     * The problem document of {@code e}, its internal detail logged; a caller that answers
     * with more than the document (the SQL endpoint) adds its members before writing it.
     */
    static ObjectNode document(Context ctx, ServiceException e) {
        if (e.internalDetail() != null) LOG.info("request {}: {}", requestId(ctx), e.internalDetail());
        return Json.MAPPER.valueToTree(problem(e.code(), e.detail(), e.field(), requestId(ctx)));
    }

    static Problem problem(ErrorCode code, String detail, String field, String requestId) {
        return new Problem(TYPE_BASE + code.code(), code.title(), code.status(), detail, code.code(), field, requestId);
    }

    static String requestId(Context ctx) {
        return ctx.res().getHeader("X-Request-Id");
    }
}
