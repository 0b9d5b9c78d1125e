// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.common.ErrorCode;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses, in front of everything else, a request that carries a method override header.
 * Javalin would route {@code GET} with {@code X-HTTP-Method-Override: DELETE} as a DELETE,
 * which lets anything that can make a browser or a proxy send a GET delete a resource. The
 * contract honours no override; answering 400 rather than ignoring the header tells a client
 * that relied on it that its DELETE did not happen. ({@code _method} in a query or form is an
 * ordinary, ignored parameter: nothing here reads it.)
 */
final class MethodOverrideRefusal extends Handler.Wrapper {
    static final List<String> HEADERS = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        for (String header : HEADERS) {
            if (request.getHeaders().contains(header)) {
                refuse(request, response, callback, header);
                return true;
            }
        }
        return super.handle(request, response, callback);
    }

    private static void refuse(Request request, Response response, Callback callback, String header) throws Exception {
        String requestId = ApiServer.requestId(request.getHeaders().get(ApiServer.REQUEST_ID));
        byte[] body = Json.MAPPER.writeValueAsBytes(Problems.problem(ErrorCode.MALFORMED_REQUEST,
            header + " is not supported: send the method itself", header, requestId));
        response.setStatus(ErrorCode.MALFORMED_REQUEST.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.getHeaders().put(ApiServer.REQUEST_ID, requestId);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
