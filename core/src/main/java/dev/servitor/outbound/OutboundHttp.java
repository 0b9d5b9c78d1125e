// SPDX-License-Identifier: Apache-2.0
package dev.servitor.outbound;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one client for Servitor's outgoing HTTP calls. Each call: only {@code https} (or, when
 * allowed, {@code http} to a loopback address: tests and local development), its host checked by the
 * {@link AddressGuard}, no redirects (a 3xx is an answer
 * like any other: following it could lead past the guard), a deadline for the whole call, and at
 * most {@code maxBodyBytes} of the answer read.
 */
public final class OutboundHttp {
    private final HttpClient client;
    private final AddressGuard guard;
    private final boolean allowHttp;
    private final Duration timeout;
    private final int maxBodyBytes;
    private volatile CallObserver observer = CallObserver.NONE;

    public OutboundHttp(AddressGuard guard, boolean allowHttp, Duration timeout, int maxBodyBytes) {
        this.guard = guard;
        this.allowHttp = allowHttp;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** From now on, tells {@code observer} about every call that is sent (the server's tracing). */
    public void observeCalls(CallObserver observer) {
        this.observer = observer == null ? CallObserver.NONE : observer;
    }

    /** What came back: the status and up to {@code maxBodyBytes} of the body. */
    public record Answer(int status, String body) {
        public boolean successful() {
            return status >= 200 && status < 300;
        }
    }

    /** A call that did not get an answer: refused before sending, failed to connect, or timed out. */
    public static final class CallFailed extends Exception {
        public CallFailed(String message) {
            super(message);
        }
    }

    /** Why {@code url} may not be called, or null if it may (the scheme and form only; the address is checked per call). */
    public String refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return "must be a URL";
        }
        String scheme = uri.getScheme();
        if (!"https".equals(scheme) && !("http".equals(scheme) && allowHttp)) {
            return allowHttp ? "must be an http or https URL" : "must be an https URL";
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return "must be an absolute URL with a host, without user information or fragment";
        }
        return null;
    }

    public Answer post(String url, Map<String, String> headers, String body) throws CallFailed {
        return send(url, headers, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), "POST", maxBodyBytes);
    }

    /** A GET under the same rules, reading at most {@code maxBodyBytes} of the answer (a key set may exceed the webhooks' 4 KiB). */
    public Answer get(String url, Map<String, String> headers, int maxBodyBytes) throws CallFailed {
        return send(url, headers, HttpRequest.BodyPublishers.noBody(), "GET", maxBodyBytes);
    }

    private Answer send(String url, Map<String, String> headers, HttpRequest.BodyPublisher body, String method, int maxBytes)
            throws CallFailed {
        String refused = refusal(url);
        if (refused != null) throw new CallFailed("url " + refused);
        URI uri = URI.create(url);
        if ("http".equals(uri.getScheme())) {
            if (!AddressGuard.isLoopback(uri.getHost())) throw new CallFailed("plain http is allowed to loopback addresses only");
        } else {
            try {
                guard.check(uri.getHost());
            } catch (AddressGuard.RefusedAddress e) {
                throw new CallFailed(e.getMessage());
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).method(method, body);
        headers.forEach(request::header);
        CallObserver.Call observed = observer.start(method, uri);
        observed.headers().forEach(request::setHeader);
        // one deadline for headers and body alike: a peer that trickles its answer cannot hold the caller
        CompletableFuture<HttpResponse<String>> call = client.sendAsync(request.build(), LimitedBody.handler(maxBytes));
        try {
            HttpResponse<String> response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            observed.answered(response.statusCode());
            return new Answer(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            call.cancel(true);
            observed.failed(e);
            throw new CallFailed("timed out after " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            observed.failed(cause);
            throw new CallFailed(cause instanceof HttpTimeoutException ? "timed out after " + timeout.toSeconds() + " s"
                : "connection failed: " + cause.getClass().getSimpleName());
        } catch (InterruptedException e) {
            call.cancel(true);
            observed.failed(e);
            Thread.currentThread().interrupt();
            throw new CallFailed("interrupted");
        }
    }
}
