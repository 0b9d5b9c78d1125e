// SPDX-License-Identifier: Apache-2.0
package dev.servitor.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one client for Servitor's outgoing HTTP calls. Each call: only {@code https} (or, when
 * allowed, {@code http} to a loopback address: tests and local development), its host checked by the
 * {@link AddressGuard}, no redirects (a 3xx is an answer
 * like any other: following it could lead past the guard), a deadline for the whole call, and at
 * most {@code maxBodyBytes} of the answer read.
 *
 * <p>Calls are blocking {@link HttpURLConnection}s on the caller's thread (keep-alive pooled by the
 * JDK), not {@code java.net.http.HttpClient}: measured on loopback, the latter cost ~700 µs of CPU
 * per call against ~110 µs (bench/LOG.md "Lifecycle events"), and a webhook delivery is one call
 * per event and endpoint. The whole-call deadline is a timer that closes the connection.
 */
public final class OutboundHttp {
    /** Closes the connections of calls past their deadline. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();
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
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "servitor-outbound-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
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

    /** The longest URL a webhook or a federation issuer may have. */
    public static final int MAX_URL_CHARS = 2048;

    /** Why {@code url} may not be called, or null if it may (its length, scheme and form; the address is checked per call). */
    public String refusal(String url) {
        if (url.length() > MAX_URL_CHARS) return "must be at most " + MAX_URL_CHARS + " characters";
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
        return send(url, headers, body.getBytes(StandardCharsets.UTF_8), "POST", maxBodyBytes);
    }

    /** A GET under the same rules, reading at most {@code maxBodyBytes} of the answer (a key set may exceed the webhooks' 4 KiB). */
    public Answer get(String url, Map<String, String> headers, int maxBodyBytes) throws CallFailed {
        return send(url, headers, null, "GET", maxBodyBytes);
    }

    private Answer send(String url, Map<String, String> headers, byte[] body, String method, int maxBytes)
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
        CallObserver.Call observed = observer.start(method, uri);
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY); // no system proxy: the guard checked this host
        } catch (IOException | IllegalArgumentException e) {
            observed.failed(e);
            throw new CallFailed("connection failed: " + e.getClass().getSimpleName());
        }
        int millis = (int) timeout.toMillis();
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout(millis);
        c.setReadTimeout(millis);
        headers.forEach(c::setRequestProperty);
        observed.headers().forEach(c::setRequestProperty);
        // one deadline for headers and body alike: a peer that trickles its answer cannot hold the caller
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            expired.set(true);
            c.disconnect();
        }, millis, TimeUnit.MILLISECONDS);
        try {
            c.setRequestMethod(method);
            if (body != null) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            String text = "";
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in != null) {
                byte[] read = in.readNBytes(maxBytes);
                if (read.length < maxBytes) {
                    in.close(); // read to its end: the connection may serve the next call
                } else {
                    c.disconnect(); // more may follow: never read on, not even by the JDK's keep-alive cleaner
                }
                text = new String(read, StandardCharsets.UTF_8);
            }
            if (expired.get()) throw new SocketTimeoutException("deadline");
            observed.answered(status);
            return new Answer(status, text);
        } catch (IOException e) {
            observed.failed(e);
            if (expired.get() || e instanceof SocketTimeoutException) {
                throw new CallFailed("timed out after " + timeout.toSeconds() + " s");
            }
            throw new CallFailed("connection failed: " + e.getClass().getSimpleName());
        } finally {
            deadline.cancel(false);
        }
    }
}
