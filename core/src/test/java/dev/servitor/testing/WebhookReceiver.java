// SPDX-License-Identifier: Apache-2.0
package dev.servitor.testing;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A customer's webhook endpoint: a real HTTP server on loopback that records every request and
 * checks its Standard Webhooks signature with its own code (not Servitor's), as a receiver's
 * library would. It can be told to fail the next attempts.
 */
public final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile boolean alwaysFail;
    private volatile java.util.concurrent.CountDownLatch hold;

    /** One request as it arrived. */
    public record Received(String id, String timestamp, String signature, String body, int answeredWith) {
        public java.util.Map<String, Object> json() {
            try {
                return JSONObjectUtils.parse(body);
            } catch (java.text.ParseException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String type() {
            return (String) json().get("type");
        }

        @SuppressWarnings("unchecked")
        public java.util.Map<String, Object> data() {
            return (java.util.Map<String, Object>) json().get("data");
        }

        /** True if one of the signatures in the header is the HMAC of this request under {@code secret}. */
        public boolean signedWith(String secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
                byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
                for (String part : signature.split(" ")) {
                    if (!part.startsWith("v1,")) continue;
                    if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(part.substring(3)))) return true;
                }
                return false;
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }
    }

    public WebhookReceiver() throws java.io.IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            java.util.concurrent.CountDownLatch h = hold;
            if (h != null) {
                holding.incrementAndGet();
                try {
                    h.await(30, java.util.concurrent.TimeUnit.SECONDS); // a receiver that hangs: the sender is cut off meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            boolean fail = alwaysFail || failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            int status = fail ? 500 : 204;
            received.add(new Received(ex.getRequestHeaders().getFirst("webhook-id"), ex.getRequestHeaders().getFirst("webhook-timestamp"),
                ex.getRequestHeaders().getFirst("webhook-signature"), body, status));
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public void failNext(int attempts) {
        failuresLeft.set(attempts);
    }

    private final AtomicInteger holding = new AtomicInteger();

    /** From now on, requests hang without an answer until {@link #release}. */
    public void hang() {
        hold = new java.util.concurrent.CountDownLatch(1);
    }

    public void release() {
        java.util.concurrent.CountDownLatch h = hold;
        hold = null;
        if (h != null) h.countDown();
    }

    /** Requests that arrived while hanging (and got no answer). */
    public int hung() {
        return holding.get();
    }

    public void failAlways(boolean fail) {
        alwaysFail = fail;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public void clear() {
        received.clear();
    }

    /** Waits (up to 20 s) until a request matching {@code what} has arrived, and returns the first such. */
    public Received await(Predicate<Received> what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (Received r : received) if (what.test(r)) return r;
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no matching delivery arrived; received: " + received.stream().map(Received::body).toList());
    }

    public Received awaitType(String type) {
        return await(r -> r.answeredWith() < 300 && type.equals(r.type()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
