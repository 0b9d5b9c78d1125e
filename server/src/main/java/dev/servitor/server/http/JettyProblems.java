// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.common.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Problem documents on Jetty's core API, below Javalin: Jetty's own errors (a URI, a Host or a
 * header it cannot parse, a URI or headers too long), set as the error handler of the server
 * and of the servlet context in place of Jetty's HTML pages, and the answers of the handlers
 * in front of Javalin ({@link BufferedBodies}, {@link MetricsPort}). {@link Problems} writes
 * every other problem document.
 */
final class JettyProblems extends ErrorHandler {

    /** Jetty writes no body for a method other than GET, POST or HEAD; a problem document is for every method. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        ErrorCode code = codeFor(status);
        // Jetty's reason says what was wrong with the request ("Duplicate Host Header"); for an
        // internal error it may be an exception's text, which is not for the caller
        String detail = code != ErrorCode.INTERNAL && message != null && !message.isBlank() ? message : code.title();
        write(request, response, callback, status, code, detail, null);
    }

    /** Answers {@code status} with a problem document of {@code code}; the request's X-Request-Id is echoed as usual. */
    static void write(Request request, Response response, Callback callback, int status, ErrorCode code, String detail,
                      String field) {
        String requestId = ApiServer.requestId(request.getHeaders().get(ApiServer.REQUEST_ID));
        String title = code.status() == status ? code.title() : HttpStatus.getMessage(status);
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(new Problem(Problems.TYPE_BASE + code.code(), title, status, detail, code.code(),
                field, requestId));
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        headers.put(ApiServer.REQUEST_ID, requestId);
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Answers the {@link CredentialGate}'s refusal on Jetty's core API as the routes answer it, headers included. */
    static void write(Request request, Response response, Callback callback, Refusal refusal) {
        refusal.headers().forEach(response.getHeaders()::put);
        write(request, response, callback, refusal.code().status(), refusal.code(), refusal.problem().detail(), refusal.problem().field());
    }

    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 408 -> ErrorCode.REQUEST_TIMEOUT;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 414 -> ErrorCode.URI_TOO_LONG;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 431 -> ErrorCode.HEADERS_TOO_LARGE;
            case 503 -> ErrorCode.UNAVAILABLE;
            case 505 -> ErrorCode.MALFORMED_REQUEST; // an HTTP version Jetty does not speak
            default -> status < 500 ? ErrorCode.MALFORMED_REQUEST : ErrorCode.INTERNAL;
        };
    }
}
