// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.caller.Caller;
import dev.servitor.authn.CredentialVerifier;
import dev.servitor.authn.Verification;
import dev.servitor.authn.VerificationCode;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.token.OAuthException;
import dev.servitor.oauth.TokenService;
import dev.servitor.publickey.PublicKeyService;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Who is calling, and may they: the one place where a request's credential is checked, for the
 * {@code /v1} routes, the OAuth endpoints and the {@link HotPath} alike. It authenticates (an API
 * key or access token in {@code Authorization}, the console's session cookie, an OAuth client's id
 * and secret, a token exchange's actor token, a password), applies the failed-authentication limits
 * ({@link AuthFailureLimiter}, called from here only) and the network policy, and decides the
 * route's permission ({@link RoutePermissions}), all before anything of the body is read: the
 * contract's refusal order, 401, then 403, then 400/422, then 404/409.
 * <p>
 * Whatever is wrong with a credential, its presenter gets the same 401; only the trusted
 * {@code /v1/verify} caller learns the reason. Refusals are {@link Refusal}s, counted once when
 * made: the hot path leaves its {@link Admission} on a request it hands on, and the routes take
 * it rather than decide again.
 */
final class CredentialGate {
    static final String CALLER = "servitor.caller";
    /** The {@link Admission} the hot path made for a request it then handed on to the routes. */
    static final String ADMITTED = "servitor.admission";
    static final String SESSION_COOKIE = "servitor_session";
    private static final String LOG_IN = "POST /v1/session";

    private final CredentialVerifier verifier;
    private final TokenService tokens;
    private final RoutePermissions permissions;
    private final ServerMetrics metrics;
    private final ClientAddress addresses;
    private final AuthFailureLimiter limiter;
    private final PublicKeyService publicKeys;

    CredentialGate(CredentialVerifier verifier, TokenService tokens, RoutePermissions permissions, ServerMetrics metrics,
                   ClientAddress addresses, AuthFailureLimiter limiter, PublicKeyService publicKeys) {
        this.publicKeys = publicKeys;
        this.verifier = verifier;
        this.tokens = tokens;
        this.permissions = permissions;
        this.metrics = metrics;
        this.addresses = addresses;
        this.limiter = limiter;
    }

    /** What the gate decided for one request: its caller, let through, or its refusal. */
    static final class Admission {
        private final Caller caller;
        private final Refusal refusal;

        private Admission(Caller caller, Refusal refusal) {
            this.caller = caller;
            this.refusal = refusal;
        }

        static Admission of(Supplier<Caller> decision) {
            try {
                return new Admission(decision.get(), null);
            } catch (Refusal r) {
                return new Admission(null, r);
            }
        }

        boolean admitted() {
            return refusal == null;
        }

        /** Why the caller was refused; null when admitted. */
        Refusal refusal() {
            return refusal;
        }

        /** The caller; the refusal thrown as it was made. */
        Caller caller() {
            if (refusal != null) throw refusal;
            return caller;
        }
    }

    // ---- the /v1 routes: authenticate before any route, authorize once the route is matched ----

    /** Runs before every {@code /v1} request: sets the caller, or throws the 401, 403 or 429. */
    void authenticate(Context ctx) {
        Admission admitted = ctx.attribute(ADMITTED);
        if (admitted != null) {
            ctx.attribute(CALLER, admitted.caller());
            return;
        }
        if (LOG_IN.equals(ctx.method().name() + " " + ctx.path())) return; // the one /v1 call made without a credential
        String path = ctx.path().endsWith("/") ? ctx.path().substring(0, ctx.path().length() - 1) : ctx.path();
        if (RoutePermissions.ANONYMOUS.contains(ctx.method().name() + " " + path)) return; // leak reports: no credential looked at
        String header = ctx.header("Authorization");
        String cookie = header == null ? ctx.cookie(SESSION_COOKIE) : null;
        ctx.attribute(CALLER, cookie != null ? session(ctx, cookie) : bearer(header, addresses.of(ctx)));
    }

    /** Runs once the route is matched, before its handler: throws the 403 when the caller may not call it. */
    void authorize(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null || !endpoint.path.startsWith("/v1/") || ctx.attribute(ADMITTED) != null) return;
        String route = endpoint.method.name() + " " + endpoint.path;
        if (RoutePermissions.OPEN.contains(route) || RoutePermissions.ANONYMOUS.contains(route)) return;
        permissions.check(route, caller(ctx), ctx::pathParam);
    }

    /**
     * The hot path's decision for {@code route} ("POST /v1/verify"), a route without path
     * parameters, presented with {@code authorization} from {@code ip}: authentication, limits,
     * network policy and the route's permission, exactly as the routes decide it.
     */
    Admission admit(String route, String authorization, String ip) {
        return Admission.of(() -> {
            Caller caller = bearer(authorization, ip);
            try {
                permissions.check(route, caller, name -> null);
            } catch (ServiceException e) {
                throw Refusal.of(e); // audited by the Authorizer as it refused
            }
            return caller;
        });
    }

    /** The failed-authentication limits, for {@link ForwardAuth}'s customer credentials (checked like /v1/verify's). */
    AuthFailureLimiter limiter() {
        return limiter;
    }

    /** The caller of an authenticated request ({@link #authenticate} set it). */
    static Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER);
        if (c == null) throw Refusal.unauthenticated();
        return c;
    }

    /** An API key or access token in {@code Authorization}. */
    private Caller bearer(String header, String ip) {
        String credential = credential(header);
        String clientId = limiterClientId(credential);
        waitIfLimited(limiter.retryBeforeCheck(ip, clientId, credential)); // before any store access: a flood stays cheap
        Verification v = credential == null ? Verification.NOT_FOUND : verifier.authenticate(credential, ip);
        metrics.authentication(v.code());
        if (v.code() == VerificationCode.IP_NOT_ALLOWED) {
            // the credential itself is valid, so its presenter may learn that the address is what is refused (403, not 401)
            throw Refusal.of(new ServiceException(ErrorCode.IP_NOT_ALLOWED, "A network policy does not allow your client address"));
        }
        if (v.code() == VerificationCode.NETWORK_POLICY_REQUIRED) {
            // as above: the credential is valid; what is missing is a network policy, by the organization's credential policy
            throw Refusal.of(new ServiceException(ErrorCode.NETWORK_POLICY_REQUIRED,
                "The organization's credential policy requires a network policy for this service account"));
        }
        if (!v.valid()) {
            waitIfLimited(limiter.failed(ip, clientId));
            throw Refusal.unauthenticated();
        }
        limiter.succeeded(credential);
        return v.caller();
    }

    /**
     * The console's cookie. A state-changing request made with it must also prove it comes from
     * the console itself (same Origin, or the X-Requested-With header a cross-site form cannot
     * send), on top of SameSite=Strict.
     */
    private Caller session(Context ctx, String cookie) {
        Verification v = verifier.verifySession(cookie, addresses.of(ctx));
        metrics.authentication(v.code());
        if (v.code() == VerificationCode.IP_NOT_ALLOWED) {
            // the session itself is valid, so the user may learn that the address is what is refused (403, not 401)
            throw Refusal.of(new ServiceException(ErrorCode.IP_NOT_ALLOWED, "A network policy does not allow your client address"));
        }
        if (!v.valid()) throw Refusal.unauthenticated();
        boolean safe = ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD");
        String origin = ctx.header("Origin");
        boolean sameOrigin = origin != null && ctx.host() != null && origin.replaceFirst("^https?://", "").equals(ctx.host());
        if (!safe && !sameOrigin && ctx.header("X-Requested-With") == null) {
            throw Refusal.of(new ServiceException(ErrorCode.FORBIDDEN,
                "Cross-site request refused: send X-Requested-With or a same-origin Origin"));
        }
        return v.caller();
    }

    // ---- the OAuth endpoints ----

    /**
     * The caller of an introspection or revocation: the {@code /v1} credential in
     * {@code Authorization}, else the client's id and secret (RFC 6749 section 2.3.1). Any fault
     * of either is the one 401 ({@code invalid_client} at these endpoints), a refused address
     * included; a request that authenticates two ways is {@code invalid_request} (thrown as the
     * {@link OAuthException} it is, nothing counted).
     */
    Caller oauthCaller(String authorization, OAuthForm form, String ip) {
        if (credential(authorization) != null) {
            try {
                return bearer(authorization, ip);
            } catch (Refusal r) {
                throw r.code() == ErrorCode.IP_NOT_ALLOWED || r.code() == ErrorCode.NETWORK_POLICY_REQUIRED ? Refusal.unauthenticated() : r;
            }
        }
        return authenticatedClient(client(form, authorization, ip), ip);
    }

    /** The caller a client's secret or {@code private_key_jwt} assertion proves, checked under the limits ({@link #clientSecret}). */
    Caller authenticatedClient(OAuthForm.ClientCredentials client, String ip) {
        return clientSecret(client, ip, () -> client.isAssertion() ? tokens.authenticatedClient(assertion(client, ip), ip)
            : tokens.authenticateClient(client.id(), client.secret(), ip));
    }

    /**
     * The account a {@code private_key_jwt} assertion proves; any fault {@code invalid_client}.
     * Call it inside {@link #clientSecret}, which counts its failures as a wrong secret's.
     */
    PublicKeyService.Authenticated assertion(OAuthForm.ClientCredentials client, String ip) {
        return publicKeys.authenticate(client.assertion(), client.id(), ip);
    }

    /** {@link #oauthCaller} for a request of the routes, or the hot path's decision when it handed the request on. */
    Caller oauthCaller(Context ctx, OAuthForm form) {
        Admission admitted = ctx.attribute(ADMITTED);
        return admitted != null ? admitted.caller() : oauthCaller(ctx.header("Authorization"), form, addresses.of(ctx));
    }

    /** {@link #oauthCaller} as the hot path asks: the refusal kept, not thrown; an invalid request still thrown. */
    Admission admitOAuthCaller(String authorization, OAuthForm form, String ip) {
        return Admission.of(() -> oauthCaller(authorization, form, ip));
    }

    /**
     * The client authentication of an OAuth request, parsed once ({@link OAuthForm#client}): a
     * mangled, unsupported or missing one is a failed authentication, counted against the address.
     */
    OAuthForm.ClientCredentials client(OAuthForm form, String authorization, String ip) {
        OAuthForm.ClientCredentials client;
        try {
            client = form.client(authorization);
        } catch (OAuthException e) {
            if (!OAuthException.INVALID_CLIENT.equals(e.error())) throw e; // two ways at once: a malformed request
            client = null;
        }
        if (client == null) {
            waitIfLimited(limiter.failed(ip, null));
            throw Refusal.unauthenticated();
        }
        return client;
    }

    /** The client authentication of a request if it carries one (a token exchange need not), parsed as {@link #client} does. */
    OAuthForm.ClientCredentials optionalClient(OAuthForm form, String authorization, String ip) {
        if (form.optional("client_id") == null && form.optional("client_secret") == null && form.optional("client_assertion") == null
            && form.optional("client_assertion_type") == null && !OAuthForm.isBasic(authorization)) {
            return null;
        }
        return client(form, authorization, ip);
    }

    /**
     * Runs {@code check} of a client's secret under the limits: held back (429) before the check
     * when this address failed too often; a wrong secret ({@code invalid_client}) counted and
     * answered 401, or 429 once past a limit. A right one is never refused for others' failures.
     * A {@code private_key_jwt} assertion is limited the same way, except that, being good once
     * only, it is never remembered as a right credential.
     */
    <T> T clientSecret(OAuthForm.ClientCredentials client, String ip, Supplier<T> check) {
        try {
            return limited(ip, client.id(), client.secret(), check, e -> isOAuthError(e, OAuthException.INVALID_CLIENT));
        } catch (OAuthException e) {
            if (OAuthException.INVALID_CLIENT.equals(e.error())) throw Refusal.unauthenticated();
            throw e;
        }
    }

    /** Runs {@code check} of a token exchange's actor token under the limits; its refusal ({@code invalid_grant}) goes on as it is. */
    <T> T actorToken(String actorToken, String ip, Supplier<T> check) {
        return limited(ip, null, actorToken, check, e -> isOAuthError(e, OAuthException.INVALID_GRANT));
    }

    /**
     * Runs {@code check} of a workload's identity token under the limits, as a client secret's:
     * counted per client id and address; its refusal ({@code invalid_grant}) goes on as it is.
     */
    <T> T workloadToken(String clientId, String token, String ip, Supplier<T> check) {
        return limited(ip, clientId, token, check, e -> isOAuthError(e, OAuthException.INVALID_GRANT));
    }

    private static boolean isOAuthError(RuntimeException e, String error) {
        return e instanceof OAuthException o && error.equals(o.error());
    }

    private <T> T limited(String ip, String clientId, String secret, Supplier<T> check, Predicate<RuntimeException> failed) {
        waitIfLimited(limiter.retryBeforeCheck(ip, clientId, secret)); // only this address's own failures, before any hashing
        T result;
        try {
            result = check.get();
        } catch (RuntimeException e) {
            // past a limit, a wrong credential is answered 429; a right one never gets here
            if (failed.test(e)) waitIfLimited(limiter.failed(ip, clientId));
            throw e;
        }
        limiter.succeeded(secret);
        return result;
    }

    // ---- passwords ----

    /**
     * A console log-in, limited like every failed authentication: per client address and per
     * username, both checked before the (deliberately slow) password hash is computed.
     */
    <T> T login(Context ctx, String username, Function<String, T> attempt) {
        return passwordCheck(ctx, "user:" + username, attempt);
    }

    /**
     * A user proving its current password: guesses are limited per address and per user as
     * log-ins are, but counted apart, so that the holder of a user's key cannot lock the user
     * out of the console by guessing.
     */
    <T> T currentPasswordCheck(Context ctx, String username, Function<String, T> attempt) {
        return passwordCheck(ctx, "current-password:" + username, attempt);
    }

    private <T> T passwordCheck(Context ctx, String clientId, Function<String, T> attempt) {
        String ip = addresses.of(ctx);
        waitIfLimited(limiter.retryBeforePasswordCheck(ip, clientId));
        try {
            return attempt.apply(ip);
        } catch (ServiceException e) {
            if (e.code() == ErrorCode.UNAUTHENTICATED || e.code() == ErrorCode.INVALID_CURRENT_PASSWORD) limiter.failed(ip, clientId);
            // answered before any password check, so no guess: counted per address only, never against the username
            if (e.code() == ErrorCode.IP_NOT_ALLOWED || e.code() == ErrorCode.ORG_REQUIRED) limiter.failed(ip, null);
            throw e;
        }
    }

    // ---- the parts ----

    /** The client address of the request (see {@link ClientAddress}). */
    String clientAddress(Context ctx) {
        return addresses.of(ctx);
    }

    String clientAddress(org.eclipse.jetty.server.Request request) {
        return addresses.of(request);
    }

    private static void waitIfLimited(long waitSeconds) {
        if (waitSeconds > 0) throw Refusal.rateLimited(waitSeconds);
    }

    /** The client id a credential's failures are counted under: its display prefix, or none when malformed or absent. */
    private static String limiterClientId(String credential) {
        return credential != null && SecretFormat.isWellFormed(credential) ? SecretFormat.displayPrefix(credential) : null;
    }

    /** The credential after one of the accepted schemes ({@code Bearer}, {@code Token}, {@code Key}), or null. */
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
