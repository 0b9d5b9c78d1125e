// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.store.jdbi.DatabaseFailure;
import dev.servitor.token.OAuthException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become answers: problem documents for {@code /v1} and the rest,
 * RFC 6749 errors for the OAuth endpoints ({@link #writeOAuth}). Public detail goes to the caller;
 * internal detail and stack traces go to the log only, keyed by request id.
 */
final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    static final String WRITTEN = "servitor.problem-written";
    static final String TYPE_BASE = "https://servitor.dev/problems/";

    private Problems() {}

    static void register(JavalinConfig config) {
        config.routes.exception(ServiceException.class, (e, ctx) -> write(ctx, e.code().status(), document(ctx, e)));
        config.routes.exception(Refusal.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            write(ctx, e.code().status(), document(ctx, e.problem()));
        });
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

    /**
     * The RFC 6749 error answer of an OAuth endpoint for {@code e}: the gate's refusals
     * ({@code invalid_client} whatever was wrong with the client, {@code temporarily_unavailable}
     * with Retry-After past a limit), the OAuth errors of the request and the grant, and a rule's
     * or the store's refusal. Anything else is rethrown, for the 500 of {@link #register}.
     */
    static void writeOAuth(Context ctx, RuntimeException e) {
        ErrorObject error = oauthError(ctx, e);
        if (OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode())) {
            error = OAuth2Error.INVALID_CLIENT; // one answer whatever part of the client authentication was wrong
            ctx.header("WWW-Authenticate", "Basic realm=\"servitor\"");
        }
        HTTPResponse r = new TokenErrorResponse(error).toHTTPResponse();
        JsonBody.discardUnread(ctx);
        Json.noStore(ctx);
        ctx.status(r.getStatusCode()).contentType("application/json").result(r.getBody());
    }

    private static ErrorObject oauthError(Context ctx, RuntimeException e) {
        if (e instanceof Refusal refusal) {
            if (refusal.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(refusal.retryAfterSeconds()));
                return new ErrorObject("temporarily_unavailable", refusal.code() == ErrorCode.KEY_RATE_LIMITED ? refusal.problem().detail()
                    : "Too many failed client authentications; retry after " + refusal.retryAfterSeconds() + " s", 429);
            }
            return OAuth2Error.INVALID_CLIENT;
        }
        if (e instanceof OAuthException o) return oauthError(o);
        if (!(e instanceof ServiceException s)) throw e;
        if (s.code().status() == 503) { // the store is down or the audit queue full: refused, never granted unaudited
            ctx.header("Retry-After", "1");
            return new ErrorObject("temporarily_unavailable", oauthDescription(s.detail()), 503);
        }
        // e.g. the account is disabled
        return (s.code().status() == 403 ? OAuth2Error.ACCESS_DENIED.setHTTPStatusCode(403) : OAuth2Error.INVALID_GRANT)
            .setDescription(oauthDescription(s.detail()));
    }

    private static ErrorObject oauthError(OAuthException e) {
        ErrorObject base = switch (e.error()) {
            case OAuthException.INVALID_CLIENT -> OAuth2Error.INVALID_CLIENT;
            case OAuthException.INVALID_GRANT -> OAuth2Error.INVALID_GRANT;
            case OAuthException.INVALID_SCOPE -> OAuth2Error.INVALID_SCOPE;
            case OAuthException.INVALID_TARGET -> OAuth2Error.INVALID_TARGET;
            case OAuthException.UNSUPPORTED_GRANT_TYPE -> OAuth2Error.UNSUPPORTED_GRANT_TYPE;
            case OAuthException.ACCESS_DENIED -> OAuth2Error.ACCESS_DENIED.setHTTPStatusCode(403);
            default -> OAuth2Error.INVALID_REQUEST;
        };
        return base.setDescription(oauthDescription(e.description()));
    }

    /**
     * The text as an error_description may carry it (RFC 6749 section 5.2: printable ASCII but
     * {@code "} and {@code \}); anything else, which a caller's parameter may bring, becomes
     * {@code ?}. Nimbus throws on the rest.
     */
    static String oauthDescription(String text) {
        if (text == null) return null;
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '?');
        }
        return sb.toString();
    }

    static String requestId(Context ctx) {
        return ctx.res().getHeader("X-Request-Id");
    }
}
