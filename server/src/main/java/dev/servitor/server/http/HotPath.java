// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

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
 * <p>Only the ordinary case is answered here: a small body, a caller the {@link CredentialGate}
 * admits, an answer of 200. Everything else (a refused credential, a rate limit, a malformed
 * body, a verify call without an Authorization header, a large or chunked body, any exception) goes
 * on, body included, to the Javalin routes, which write every other answer. A request handed on
 * after the gate decided it carries that decision ({@link CredentialGate#ADMITTED}), so it is
 * neither decided nor counted twice. Both paths call the same gate and the same endpoint
 * functions ({@link VerifyEndpoint}, {@link IntrospectEndpoint}); {@code HotPathContract}
 * compares their answers request by request.
 */
final class HotPath extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(HotPath.class);
    /** Larger bodies are not what a gateway sends; they take the ordinary path (with its 413). */
    private static final int MAX_BODY = 8192;
    private final CredentialGate gate;
    private final VerifyEndpoint verify;
    private final IntrospectEndpoint introspection;
    private final ServerMetrics metrics;
    private final LongAdder answered = new LongAdder();

    HotPath(CredentialGate gate, VerifyEndpoint verify, IntrospectEndpoint introspection, ServerMetrics metrics) {
        this.gate = gate;
        this.verify = verify;
        this.introspection = introspection;
        this.metrics = metrics;
    }

    /** How many requests this path has answered itself (tests use it to see that it was taken). */
    long answered() {
        return answered.sum();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        boolean verify = VerifyEndpoint.PATH.equals(path);
        if (!(verify || IntrospectEndpoint.PATH.equals(path)) || !"POST".equals(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        long started = System.nanoTime();
        long length = request.getLength();
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (length <= 0 || length > MAX_BODY) return super.handle(request, response, callback);
        // a verify call without Authorization (a console session, or nothing) is for the routes; an introspection may carry its client in the form
        if (verify && authorization == null) return super.handle(request, response, callback);
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
            String ip = gate.clientAddress(request);
            answer = verify ? verify(request, authorization, ip, bytes) : introspect(request, authorization, ip, bytes);
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
    private byte[] verify(Request request, String authorization, String ip, byte[] body) {
        CredentialGate.Admission admission = gate.admit(VerifyEndpoint.ROUTE, authorization, ip); // before the body: 401, 403, then 400
        request.setAttribute(CredentialGate.ADMITTED, admission);
        if (!admission.admitted()) return null;
        JsonBody fields = JsonBody.parse(body, VerifyEndpoint.FIELDS); // a malformed body throws: the routes answer it
        return json(verify.answer(admission.caller(), fields));
    }

    /** The answer of {@code /oauth/introspect}, or null when the ordinary path must answer. */
    private byte[] introspect(Request request, String authorization, String ip, byte[] body) {
        OAuthForm form = OAuthForm.of(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body); // the client may be in the form
        CredentialGate.Admission admission = gate.admitOAuthCaller(authorization, form, ip);
        request.setAttribute(CredentialGate.ADMITTED, admission);
        if (!admission.admitted()) return null;
        return json(introspection.answer(admission.caller(), form));
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
