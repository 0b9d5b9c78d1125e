// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.servitor.crypto.SecretHash;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Limits failed authentications on {@code /v1} and {@code /oauth/token} per client address, per
 * client id (an API key's display prefix, an OAuth {@code client_id}) and per pair of both, in
 * fixed one-minute windows.
 * <p>
 * Only a presenter's own failures hold it back before its credential is checked: an address
 * that failed too often, or a client id that failed too often from that address, is answered
 * 429 from memory alone ({@link #retryBeforeCheck}), so a flood from one source stays cheap. A
 * client id's failures from all addresses together never hold back a credential: it is checked,
 * a correct one goes through, and only a wrong one is answered 429 rather than 401
 * ({@link #failed}). Anyone can fail under a public client id or a key's prefix; that must not
 * lock its holder out.
 * <p>
 * A credential that authenticated on this node in the last {@link #KNOWN_GOOD_TTL} is checked
 * even while its address or pair is held back (recognised by its SHA-256, the one hash a held-back
 * attempt costs), so a shared address (NAT, proxy) does not lock out a client that is working.
 * <p>
 * Console log-ins use {@link #retryBeforePasswordCheck}: a password is a weak secret behind an
 * expensive hash, so there the user name's own limit applies before the check, lock-out included.
 * <p>
 * An IPv6 address is counted as its /64 ({@link ClientSource}).
 * <p>
 * The counts are node-local (Caffeine), not shared through the store: with N nodes behind a
 * balancer an address gets up to N times the limit. That is accepted; the point is to protect
 * each node and the store, not to be exact.
 */
final class AuthFailureLimiter {
    static final long WINDOW_MILLIS = 60_000;
    static final Duration KNOWN_GOOD_TTL = Duration.ofMinutes(10);
    /** Longer client ids (a form may carry a megabyte of one) are kept as their SHA-256: the caches bound entries, not bytes. */
    static final int MAX_KEPT_CLIENT_ID = 64;

    private final int perIp;
    private final int perClient;
    private final LongSupplier millis;
    private final Cache<String, Window> byIp = windows();
    private final Cache<String, Window> byClient = windows();
    private final Cache<String, Window> byClientAndIp = windows();
    private final Cache<String, Boolean> knownGood =
        Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(KNOWN_GOOD_TTL).build();

    /** {@code perClient} bounds a client id's failures from all addresses and from any one address alike. */
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
     * Before a credential is checked: seconds to wait when its address, or its client id from
     * that address, has failed too often; 0 to go on. {@code clientId} and {@code credential} may
     * be null; the credential is hashed only when a limit is reached, to recognise one that
     * recently succeeded.
     */
    long retryBeforeCheck(String address, String clientId, String credential) {
        String ip = ClientSource.of(address);
        clientId = kept(clientId);
        long now = millis.getAsLong();
        long wait = Math.max(wait(byIp, ip, perIp, now), wait(byClientAndIp, pair(clientId, ip), perClient, now));
        if (wait == 0) return 0;
        if (credential != null && knownGood.getIfPresent(SecretHash.sha256Hex(credential)) != null) return 0;
        return wait;
    }

    /** Before a password is checked: the address's limit and the user name's own, whatever the address. */
    long retryBeforePasswordCheck(String address, String username) {
        String ip = ClientSource.of(address);
        long now = millis.getAsLong();
        return Math.max(wait(byIp, ip, perIp, now), wait(byClient, kept(username), perClient, now));
    }

    /**
     * Counts a failed authentication. Returns the seconds to wait when the address, the client id
     * or the pair is now past its limit (the presenter is then answered 429 rather than 401), or 0.
     */
    long failed(String address, String clientId) {
        String ip = ClientSource.of(address);
        clientId = kept(clientId);
        long now = millis.getAsLong();
        return Math.max(count(byIp, ip, perIp, now),
            Math.max(count(byClient, clientId, perClient, now), count(byClientAndIp, pair(clientId, ip), perClient, now)));
    }

    void succeeded(String credential) {
        if (credential != null) knownGood.put(SecretHash.sha256Hex(credential), Boolean.TRUE);
    }

    private static String kept(String clientId) {
        return clientId == null || clientId.length() <= MAX_KEPT_CLIENT_ID ? clientId : "#" + SecretHash.sha256Hex(clientId);
    }

    private static String pair(String clientId, String ip) {
        return clientId == null || ip == null ? null : clientId + " " + ip;
    }

    private static long wait(Cache<String, Window> windows, String key, int limit, long now) {
        if (key == null) return 0;
        Window w = windows.getIfPresent(key);
        if (w == null) return 0;
        synchronized (w) {
            return w.failures < limit ? 0 : secondsLeft(w, now);
        }
    }

    /** Counts one failure under {@code key}; the seconds left in its window once past {@code limit}, else 0. */
    private static long count(Cache<String, Window> windows, String key, int limit, long now) {
        if (key == null) return 0;
        Window counted = windows.asMap().compute(key, (k, w) -> {
            Window current = w == null || now >= w.start + WINDOW_MILLIS ? new Window(now) : w;
            synchronized (current) {
                current.failures++;
            }
            return current;
        });
        synchronized (counted) {
            return counted.failures <= limit ? 0 : secondsLeft(counted, now);
        }
    }

    private static long secondsLeft(Window w, long now) {
        long end = w.start + WINDOW_MILLIS;
        return now >= end ? 0 : Math.max(1, (end - now + 999) / 1000);
    }
}
