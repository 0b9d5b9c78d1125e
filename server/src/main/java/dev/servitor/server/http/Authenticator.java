// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.caller.Caller;
import dev.servitor.authn.CredentialVerifier;
import dev.servitor.authn.Verification;
import dev.servitor.authn.VerificationCode;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import io.javalin.http.Context;

/**
 * Turns the {@code Authorization} header of a {@code /v1} request into a {@link Caller}.
 * Accepts the schemes {@code Bearer}, {@code Token} and {@code Key}. Whatever is wrong with
 * the credential, the presenter gets the same 401: only the trusted /v1/verify caller learns
 * the reason.
 */
final class Authenticator {
    static final String CALLER = "servitor.caller";
    private final CredentialVerifier verifier;
    private final ServerMetrics metrics;
    private final ClientAddress addresses;
    private final AuthFailureLimiter limiter;

    Authenticator(CredentialVerifier verifier, ServerMetrics metrics, ClientAddress addresses, AuthFailureLimiter limiter) {
        this.verifier = verifier;
        this.metrics = metrics;
        this.addresses = addresses;
        this.limiter = limiter;
    }

    static final String SESSION_COOKIE = "servitor_session";

    void authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        String cookie = header == null ? ctx.cookie(SESSION_COOKIE) : null;
        if (cookie != null) {
            authenticateSession(ctx, cookie);
            return;
        }
        String credential = credential(header);
        String ip = addresses.of(ctx);
        String clientId = limiterClientId(credential);
        rateLimited(ctx, limiter.retryBeforeCheck(ip, clientId, credential)); // before any store access: a flood stays cheap
        Verification v = credential == null ? Verification.NOT_FOUND : verifier.authenticate(credential, ip);
        metrics.authentication(v.code());
        if (v.code() == VerificationCode.IP_NOT_ALLOWED) {
            // the credential itself is valid, so its presenter may learn that the address is what is refused (403, not 401)
            throw new ServiceException(ErrorCode.IP_NOT_ALLOWED, "A network policy does not allow your client address");
        }
        if (!v.valid()) {
            rateLimited(ctx, limiter.failed(ip, clientId));
            ctx.header("WWW-Authenticate", "Bearer realm=\"servitor\"");
            // one answer for missing, malformed, unknown, expired, revoked and disabled: never tell the presenter which
            throw new ServiceException(ErrorCode.UNAUTHENTICATED, "A valid credential is required");
        }
        limiter.succeeded(credential);
        ctx.attribute(CALLER, v.caller());
    }

    /**
     * The caller behind the {@code Authorization} header when it holds a valid credential and
     * nothing stands in the way (no rate limit, no refused address); null otherwise, so that
     * {@link #authenticate} can then give the one full answer. Nothing is counted: the request
     * may still go on to the routes, which count it there; {@link HotPath} counts the success
     * with {@link #countValid} when it answers itself.
     */
    Caller validCaller(String header, String ip) {
        String credential = credential(header);
        if (credential == null) return null;
        String clientId = limiterClientId(credential);
        if (limiter.retryBeforeCheck(ip, clientId, credential) > 0) return null;
        Verification v = verifier.authenticate(credential, ip);
        if (!v.valid()) return null;
        limiter.succeeded(credential);
        return v.caller();
    }

    /** The client id a credential's failures are counted under: its display prefix, or none when malformed or absent. */
    private static String limiterClientId(String credential) {
        return credential != null && SecretFormat.isWellFormed(credential) ? SecretFormat.displayPrefix(credential) : null;
    }

    /** Counts a caller from {@link #validCaller} as {@link #authenticate} counts a success. */
    void countValid() {
        metrics.authentication(VerificationCode.VALID);
    }

    /**
     * The console's cookie. A state-changing request made with it must also prove it comes from
     * the console itself (same Origin, or the X-Requested-With header a cross-site form cannot
     * send), on top of SameSite=Strict.
     */
    private void authenticateSession(Context ctx, String cookie) {
        Verification v = verifier.verifySession(cookie, addresses.of(ctx));
        metrics.authentication(v.code());
        if (v.code() == VerificationCode.IP_NOT_ALLOWED) {
            // the session itself is valid, so the user may learn that the address is what is refused (403, not 401)
            throw new ServiceException(ErrorCode.IP_NOT_ALLOWED, "A network policy does not allow your client address");
        }
        if (!v.valid()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"servitor\"");
            throw new ServiceException(ErrorCode.UNAUTHENTICATED, "A valid credential is required");
        }
        boolean safe = ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD");
        String origin = ctx.header("Origin");
        boolean sameOrigin = origin != null && ctx.host() != null && origin.replaceFirst("^https?://", "").equals(ctx.host());
        if (!safe && !sameOrigin && ctx.header("X-Requested-With") == null) {
            throw new ServiceException(ErrorCode.FORBIDDEN, "Cross-site request refused: send X-Requested-With or a same-origin Origin");
        }
        ctx.attribute(CALLER, v.caller());
    }

    /** The client address of the request (see {@link ClientAddress}). */
    String clientAddress(Context ctx) {
        return addresses.of(ctx);
    }

    String clientAddress(org.eclipse.jetty.server.Request request) {
        return addresses.of(request);
    }

    AuthFailureLimiter limiter() {
        return limiter;
    }

    /**
     * A console log-in, limited like every failed authentication: per client address and per
     * username, both checked before the (deliberately slow) password hash is computed.
     */
    <T> T login(Context ctx, String username, java.util.function.Function<String, T> attempt) {
        return passwordCheck(ctx, "user:" + username, attempt);
    }

    /**
     * A user proving its current password: guesses are limited per address and per user as
     * log-ins are, but counted apart, so that the holder of a user's key cannot lock the user
     * out of the console by guessing.
     */
    <T> T currentPasswordCheck(Context ctx, String username, java.util.function.Function<String, T> attempt) {
        return passwordCheck(ctx, "current-password:" + username, attempt);
    }

    private <T> T passwordCheck(Context ctx, String clientId, java.util.function.Function<String, T> attempt) {
        String ip = addresses.of(ctx);
        rateLimited(ctx, limiter.retryBeforePasswordCheck(ip, clientId));
        try {
            return attempt.apply(ip);
        } catch (ServiceException e) {
            if (e.code() == ErrorCode.UNAUTHENTICATED || e.code() == ErrorCode.INVALID_CURRENT_PASSWORD) limiter.failed(ip, clientId);
            // answered before any password check, so no guess: counted per address only, never against the username
            if (e.code() == ErrorCode.IP_NOT_ALLOWED || e.code() == ErrorCode.ORG_REQUIRED) limiter.failed(ip, null);
            throw e;
        }
    }

    /** Throws the 429 with Retry-After when {@code wait} is positive. */
    private static void rateLimited(Context ctx, long wait) {
        if (wait <= 0) return;
        ctx.header("Retry-After", Long.toString(wait));
        throw new ServiceException(ErrorCode.RATE_LIMITED, "Too many failed authentications; retry after " + wait + " s");
    }

    static Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER);
        if (c == null) throw new ServiceException(ErrorCode.UNAUTHENTICATED, "A valid credential is required");
        return c;
    }

    /** The credential after one of the accepted schemes, or null. */
    static String credential(String header) {
        if (header == null) return null;
        int space = header.indexOf(' ');
        if (space <= 0) return null;
        String scheme = header.substring(0, space);
        if (!(scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("Token") || scheme.equalsIgnoreCase("Key"))) {
            return null;
        }
        String value = header.substring(space + 1).trim();
        return value.isEmpty() ? null : value;
    }
}
