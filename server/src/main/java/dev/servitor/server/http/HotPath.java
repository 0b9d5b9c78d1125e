// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.caller.Caller;
import dev.servitor.caller.Permissions;
import dev.servitor.authn.Verification;
import dev.servitor.authn.VerificationService;
import dev.servitor.oauth.TokenService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/verify} and {@code POST /oauth/introspect}, the calls a platform makes on
 * every request it serves, answered on Jetty's core API in front of the servlet layer and
 * Javalin, which cost about two thirds of such a request (bench/LOG.md, "Hot path").
 *
 * <p>Only the ordinary case is answered here: a small body, a caller whose credential is valid
 * and allowed, an answer of 200. Everything else (a missing or refused credential, a rate
 * limit, a malformed body, a cookie, a large or chunked body, any exception) goes on, body
 * included, to the Javalin routes, which write every other answer. Both paths call the same
 * application services and build the same response objects; {@code HotPathContract}
 * compares their answers request by request.
 */
final class HotPath extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(HotPath.class);
    /** Larger bodies are not what a gateway sends; they take the ordinary path (with its 413). */
    private static final int MAX_BODY = 8192;
    private final Authenticator authenticator;
    private final VerificationService verification;
    private final TokenService tokens;
    private final ServerMetrics metrics;
    private final LongAdder answered = new LongAdder();

    HotPath(Authenticator authenticator, VerificationService verification, TokenService tokens, ServerMetrics metrics) {
        this.authenticator = authenticator;
        this.verification = verification;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    /** How many requests this path has answered itself (tests use it to see that it was taken). */
    long answered() {
        return answered.sum();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        boolean verify = IdentityRoutes.VERIFY_PATH.equals(path);
        if (!(verify || OAuthRoutes.INTROSPECT_PATH.equals(path)) || !"POST".equals(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        long started = System.nanoTime();
        long length = request.getLength();
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (length <= 0 || length > MAX_BODY) return super.handle(request, response, callback);
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes((int) length); // exactly what Content-Length announced, no larger buffer
            in.read(); // reaches the end of the content, so that closing the stream leaves the request intact
        } catch (IOException e) {
            callback.failed(e);
            return true;
        }
        byte[] answer;
        try {
            answer = verify ? verify(request, authorization, bytes) : introspect(request, authorization, bytes);
        } catch (RuntimeException e) {
            LOG.debug("{} {} handed to the routes: {}", request.getMethod(), path, e.toString());
            answer = null; // the ordinary path answers it, with the problem document it deserves
        }
        if (answer == null) return super.handle(new WithBody(request, ByteBuffer.wrap(bytes)), response, callback);

        response.setStatus(200);
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        headers.put(ApiServer.REQUEST_ID, ApiServer.requestId(request.getHeaders().get(ApiServer.REQUEST_ID)));
        if (!verify) {
            headers.put(HttpHeader.CACHE_CONTROL, "no-store");
            headers.put(HttpHeader.PRAGMA, "no-cache");
        }
        headers.put(HttpHeader.CONTENT_LENGTH, answer.length);
        answered.increment(); // before the answer leaves: a client that has it may already ask for the count
        long nanos = System.nanoTime() - started;
        metrics.answered("POST", path, 200, nanos);
        ApiServer.logRequest("POST", path, 200, nanos / 1_000_000);
        response.write(true, ByteBuffer.wrap(answer), callback);
        return true;
    }

    /** The answer of {@code /v1/verify}, or null when the ordinary path must answer. */
    private byte[] verify(Request request, String authorization, byte[] body) {
        JsonBody fields = JsonBody.parse(body, IdentityRoutes.VERIFY_FIELDS); // a malformed body throws: the routes answer it
        Caller caller = authenticator.validCaller(authorization, authenticator.clientAddress(request));
        if (caller == null || !caller.holds(Permissions.VERIFY)) return null; // the routes refuse it; their gate records it once
        Verification v = verification.verify(caller, fields.string("credential", JsonBody.MAX_BYTES), fields.string("permission"), fields.string("ip"));
        byte[] answer = json(IdentityResponse.Verify.of(v.valid(), v.code().name(), v.caller()));
        authenticator.countValid(); // only now: a request handed on is counted by the routes
        metrics.verification(v.code());
        return answer;
    }

    /** The answer of {@code /oauth/introspect}, or null when the ordinary path must answer. */
    private byte[] introspect(Request request, String authorization, byte[] body) {
        OAuthForm form = OAuthForm.of(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body);
        String token = form.required("token");
        String ip = authenticator.clientAddress(request);
        Caller caller;
        boolean bearer = Authenticator.credential(authorization) != null;
        if (bearer) {
            caller = authenticator.validCaller(authorization, ip);
        } else {
            OAuthForm.ClientCredentials client = form.client(authorization);
            caller = client == null ? null : tokens.authenticateClient(client.id(), client.secret(), ip);
        }
        if (caller == null) return null;
        byte[] answer = json(OAuthRoutes.introspectionJson(tokens.introspect(caller, token)));
        if (bearer) authenticator.countValid();
        return answer;
    }

    private static byte[] json(Object body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize " + body.getClass().getSimpleName(), e);
        }
    }

    /** The request with its body, already read here, offered again from memory. */
    static final class WithBody extends Request.Wrapper {
        private final ByteBufferContentSource body;

        WithBody(Request request, ByteBuffer body) {
            super(request);
            this.body = new ByteBufferContentSource(body);
        }

        @Override
        public Content.Chunk read() {
            return body.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            body.demand(demandCallback);
        }

        @Override
        public void fail(Throwable failure) {
            body.fail(failure);
        }

        @Override
        public boolean consumeAvailable() {
            while (true) {
                Content.Chunk c = body.read();
                if (c == null || c.isLast()) return true;
                c.release();
            }
        }
    }
}
