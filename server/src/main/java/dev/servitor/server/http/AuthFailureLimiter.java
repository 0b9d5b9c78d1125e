// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.servitor.crypto.SecretHash;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Limits failed authentications per client address and per client id (an API key's display
 * prefix, an OAuth {@code client_id}) on {@code /v1} and {@code /oauth/token}, in fixed
 * one-minute windows. Once a limit is reached, further attempts are answered 429 from memory
 * alone, before any store access, so a flood of bad credentials stays cheap.
 * <p>
 * Successful traffic is not limited: a credential that authenticated on this node in the last
 * {@link #KNOWN_GOOD_TTL} is let through to full verification even while its address or client
 * id is limited (recognised by its SHA-256, the one hash a limited attempt costs), and a success
 * never counts. A credential not seen succeed recently is refused while its address is limited.
 * <p>
 * The counts are node-local (Caffeine), not shared through the store: with N nodes behind a
 * balancer an address gets up to N times the limit. That is accepted; the point is to protect
 * each node and the store, not to be exact.
 */
final class AuthFailureLimiter {
    static final long WINDOW_MILLIS = 60_000;
    static final Duration KNOWN_GOOD_TTL = Duration.ofMinutes(10);

    private final int perIp;
    private final int perClient;
    private final LongSupplier millis;
    private final Cache<String, Window> byIp = windows();
    private final Cache<String, Window> byClient = windows();
    private final Cache<String, Boolean> knownGood =
        Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(KNOWN_GOOD_TTL).build();

    AuthFailureLimiter(int perIp, int perClient, LongSupplier millis) {
        this.perIp = perIp;
        this.perClient = perClient;
        this.millis = millis;
    }

    private static Cache<String, Window> windows() {
        return Caffeine.newBuilder().maximumSize(1_000_000).expireAfterWrite(Duration.ofMillis(2 * WINDOW_MILLIS)).build();
    }

    private static final class Window {
        final long start;
        int failures;

        Window(long start) {
            this.start = start;
        }
    }

    /**
     * Seconds the caller must wait, or 0 to go on. {@code credential} may be null; it is hashed
     * only when a limit is reached, to recognise a credential that recently succeeded.
     */
    long retryAfterSeconds(String ip, String clientId, String credential) {
        long now = millis.getAsLong();
        long wait = Math.max(wait(byIp, ip, perIp, now), wait(byClient, clientId, perClient, now));
        if (wait == 0) return 0;
        if (credential != null && knownGood.getIfPresent(SecretHash.sha256Hex(credential)) != null) return 0;
        return wait;
    }

    void failed(String ip, String clientId) {
        long now = millis.getAsLong();
        count(byIp, ip, now);
        count(byClient, clientId, now);
    }

    void succeeded(String credential) {
        if (credential != null) knownGood.put(SecretHash.sha256Hex(credential), Boolean.TRUE);
    }

    private static long wait(Cache<String, Window> windows, String key, int limit, long now) {
        if (key == null) return 0;
        Window w = windows.getIfPresent(key);
        if (w == null) return 0;
        synchronized (w) {
            long end = w.start + WINDOW_MILLIS;
            if (now >= end || w.failures < limit) return 0;
            return Math.max(1, (end - now + 999) / 1000);
        }
    }

    private static void count(Cache<String, Window> windows, String key, long now) {
        if (key == null) return;
        windows.asMap().compute(key, (k, w) -> {
            Window current = w == null || now >= w.start + WINDOW_MILLIS ? new Window(now) : w;
            synchronized (current) {
                current.failures++;
            }
            return current;
        });
    }
}
