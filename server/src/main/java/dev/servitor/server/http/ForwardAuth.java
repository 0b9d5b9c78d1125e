// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.caller.Caller;
import dev.servitor.authn.Verification;
import dev.servitor.authn.VerificationCode;
import dev.servitor.authn.VerificationService;
import dev.servitor.authz.Authorizer;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.network.IpRules;
import dev.servitor.store.jdbi.DatabaseFailure;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/forward-auth}, any method: a reverse proxy's sub-request (nginx {@code auth_request},
 * Caddy {@code forward_auth}, Traefik {@code forwardAuth}, Envoy's HTTP {@code ext_authz}, which
 * appends the original path, hence {@code /v1/forward-auth/**} too) asking whether the request it
 * holds may pass. Answered here, on Jetty's core API in front of the routes, for every outcome:
 * this endpoint's {@code Authorization} is the customer's, not the caller's, so the {@code /v1}
 * credential gate must never see it; it never routes by method, so a client's method override
 * header, meant for the upstream, is none of its business either.
 *
 * <p>The order of refusals: the gateway's own key ({@code Servitor-Gateway-Key}, a key holding
 * {@code verify}; anything wrong with it is the one 401, told apart only in the metrics and the
 * log, since the client must learn nothing of the gateway's key); then what the gateway's
 * configuration supplies (the client address headers 422, the permission 422); then the
 * customer's credential, verified by {@link VerificationService#verify}, the check
 * {@code /v1/verify} makes: 401 with {@code WWW-Authenticate} (429 with {@code Retry-After} past
 * the failed-authentication limits of the client's address), 403 for a missing permission, a
 * refused address or identity headers the client wrote itself; else 200 with the
 * {@link IdentityHeaders}. The gateway is trusted with the client's address
 * (the right-most {@code X-Forwarded-For} entry, the one the gateway added, else
 * {@code X-Real-IP}) because it holds a verify key, which already lets it ask about any address.
 */
final class ForwardAuth extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardAuth.class);
    static final String PATH = "/v1/forward-auth";
    static final String GATEWAY_KEY = "Servitor-Gateway-Key";
    static final String PERMISSION_HEADER = "Servitor-Permission";
    static final String API_KEY = "X-Api-Key";
    static final String REAL_IP = "X-Real-IP";
    static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final long WARN_EVERY_MILLIS = 60_000;

    /** The gateway's admission is decided as this route's by the credential gate. */
    static final String GATEWAY_ROUTE = "POST /v1/forward-auth";
    private final CredentialGate gate;
    private final VerificationService verification;
    private final Authorizer authz;
    private final ServerMetrics metrics;
    private final AtomicLong lastGatewayWarning = new AtomicLong(-WARN_EVERY_MILLIS);

    ForwardAuth(CredentialGate gate, VerificationService verification, Authorizer authz, ServerMetrics metrics) {
        this.gate = gate;
        this.verification = verification;
        this.authz = authz;
        this.metrics = metrics;
    }

    /** What happened, as the metrics count it; the client sees only the status. */
    enum Outcome {
        ALLOWED, UNAUTHENTICATED, FORBIDDEN, IP_NOT_ALLOWED, FORGED_IDENTITY_HEADER, RATE_LIMITED, KEY_RATE_LIMITED, USAGE_EXCEEDED,
        INVALID_REQUEST,
        GATEWAY_KEY_MISSING, GATEWAY_KEY_REFUSED, GATEWAY_NOT_VERIFIER, FAILED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The answer: 200 with identity headers, or a problem of {@code code} (with Retry-After when {@code retryAfter} > 0). */
    private record Answer(Outcome outcome, List<IdentityHeaders.Header> identity, ErrorCode code, String detail, String field,
                          long retryAfter) {
        static Answer allowed(List<IdentityHeaders.Header> identity) {
            return new Answer(Outcome.ALLOWED, identity, null, null, null, 0);
        }

        static Answer refused(Outcome outcome, ErrorCode code, String detail) {
            return new Answer(outcome, null, code, detail, null, 0);
        }

        static Answer unauthenticated(Outcome outcome) {
            // one answer whatever was wrong, with the customer's credential or with the gateway's key
            return refused(outcome, ErrorCode.UNAUTHENTICATED, "A valid credential is required");
        }

        int status() {
            return code == null ? 200 : code.status();
        }
    }

    static boolean isForwardAuth(String path) {
        return path != null && path.startsWith(PATH) && (path.length() == PATH.length() || path.charAt(PATH.length()) == '/');
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (!isForwardAuth(path)) return super.handle(request, response, callback);
        long started = System.nanoTime();
        Answer answer;
        try {
            answer = answer(request);
        } catch (ServiceException e) {
            answer = new Answer(e.code().status() < 500 ? Outcome.INVALID_REQUEST : Outcome.FAILED, null, e.code(), e.detail(),
                e.field(), 0);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", request.getMethod(), PATH, DatabaseFailure.loggable(e)); // no bound value reaches the log
            answer = Answer.refused(Outcome.FAILED, ErrorCode.INTERNAL, "Something went wrong");
        }
        write(request, response, callback, answer);
        long nanos = System.nanoTime() - started;
        metrics.forwardAuth(answer.outcome().tag(), answer.status(), nanos);
        ApiServer.logRequest(request.getMethod(), PATH, answer.status(), nanos / 1_000_000);
        return true;
    }

    /** The gateway's key first: anything wrong with it is the client's 401 (the metrics and the log tell which). */
    private Answer answer(Request request) {
        String peer = peer(request); // the gateway itself: X-Forwarded-For here speaks of its client
        String gatewayKey = request.getHeaders().get(GATEWAY_KEY);
        if (gatewayKey == null || gatewayKey.isBlank()) return gatewayRefused(Outcome.GATEWAY_KEY_MISSING, peer);
        // the gate authenticates it (limits, network policy) and checks its verify permission, as at /v1/verify
        CredentialGate.Admission admission = gate.admit(GATEWAY_ROUTE,
            gatewayKey.indexOf(' ') > 0 ? gatewayKey : "Key " + gatewayKey.trim(), peer);
        if (!admission.admitted()) {
            return gatewayRefused(admission.refusal().code().status() == 403 ? Outcome.GATEWAY_NOT_VERIFIER : Outcome.GATEWAY_KEY_REFUSED, peer);
        }
        return customerAnswer(request, admission.caller(), peer);
    }

    /** The gateway's inputs (422), then the customer's credential (401, 429), then what it may do (403). */
    private Answer customerAnswer(Request request, Caller gateway, String peer) {
        HttpFields headers = request.getHeaders();
        String clientIp = clientAddress(headers);
        List<String> permissions = permissions(request);
        String credential = customerCredential(headers);
        String limitedAddress = clientIp != null ? clientIp : peer;
        String clientId = credential != null && SecretFormat.isWellFormed(credential) ? SecretFormat.displayPrefix(credential) : null;
        AuthFailureLimiter limiter = gate.limiter();
        long wait = limiter.retryBeforeCheck(limitedAddress, clientId, credential); // before any store access: a flood stays cheap
        if (wait > 0) return rateLimited(wait);
        Verification v = credential == null ? Verification.NOT_FOUND
            : verification.verify(gateway, credential, permissions.isEmpty() ? null : permissions.get(0), clientIp);
        if (v.code() == VerificationCode.IP_NOT_ALLOWED) {
            // the credential is valid, so its presenter may learn that the address is what is refused (403, not 401)
            return Answer.refused(Outcome.IP_NOT_ALLOWED, ErrorCode.IP_NOT_ALLOWED, "A network policy does not allow your client address");
        }
        if (v.code() == VerificationCode.NETWORK_POLICY_REQUIRED) {
            return Answer.refused(Outcome.FORBIDDEN, ErrorCode.NETWORK_POLICY_REQUIRED,
                "The organization's credential policy requires a network policy for this service account");
        }
        if (v.code() == VerificationCode.RATE_LIMITED) {
            return new Answer(Outcome.KEY_RATE_LIMITED, null, ErrorCode.KEY_RATE_LIMITED,
                "This key's rate limit is reached; retry after " + v.retryAfterSeconds() + " s", null, v.retryAfterSeconds());
        }
        if (v.code() == VerificationCode.USAGE_EXCEEDED) {
            return Answer.refused(Outcome.USAGE_EXCEEDED, ErrorCode.USAGE_EXCEEDED, "This key has no uses left (until its next refill, if it has one)");
        }
        if (!v.valid() && v.code() != VerificationCode.FORBIDDEN) {
            wait = limiter.failed(limitedAddress, clientId);
            return wait > 0 ? rateLimited(wait) : Answer.unauthenticated(Outcome.UNAUTHENTICATED);
        }
        limiter.succeeded(credential);
        return verdict(v, permissions, headers);
    }

    /** For a credential that authenticated: 403 for identity headers of the client's own or a permission it lacks, else 200. */
    private Answer verdict(Verification v, List<String> permissions, HttpFields headers) {
        String forged = clientIdentityHeader(headers);
        if (forged != null) {
            // only Servitor writes these; a gateway that cannot strip them by prefix (nginx) relies on this refusal
            return Answer.refused(Outcome.FORGED_IDENTITY_HEADER, ErrorCode.FORBIDDEN,
                forged + " is set by the gateway from Servitor's answer; a request must not carry X-Servitor-* headers");
        }
        for (String p : permissions) {
            if (!v.valid() || !authz.mayExercise(v.caller(), p)) {
                // the credential is valid, so it may learn which permission it lacks (403, not 401)
                return Answer.refused(Outcome.FORBIDDEN, ErrorCode.FORBIDDEN, "This needs the '" + p + "' permission");
            }
        }
        return Answer.allowed(IdentityHeaders.of(v.caller()));
    }

    private static String peer(Request request) {
        String remote = Request.getRemoteAddr(request);
        var a = IpRules.address(remote);
        return a == null ? remote : a.withoutPrefixLength().toCanonicalString();
    }

    private Answer gatewayRefused(Outcome outcome, String peer) {
        long now = System.currentTimeMillis();
        long last = lastGatewayWarning.get();
        if (now - last >= WARN_EVERY_MILLIS && lastGatewayWarning.compareAndSet(last, now)) {
            LOG.warn("forward-auth: the gateway at {} is refused ({}): check its Servitor-Gateway-Key, a key holding 'verify' "
                + "(logged at most once a minute; servitor_forward_auth_total counts every one)", peer, outcome.tag());
        }
        return Answer.unauthenticated(outcome);
    }

    private static Answer rateLimited(long wait) {
        return new Answer(Outcome.RATE_LIMITED, null, ErrorCode.RATE_LIMITED,
            "Too many failed authentications; retry after " + wait + " s", null, wait);
    }

    /**
     * The client's address as the gateway reports it: the right-most entry of
     * {@code X-Forwarded-For} (the one the gateway appended; entries left of it are the client's
     * own say), else {@code X-Real-IP}, else null: the gateway's own address, as {@code /v1/verify}
     * without {@code ip}. X-Forwarded-For comes first because every common gateway writes it
     * (Caddy, Traefik and Envoy by default, nginx as configured), while only nginx sets
     * X-Real-IP: elsewhere that header would be the client's own.
     */
    static String clientAddress(HttpFields headers) {
        List<String> forwarded = headers.getValuesList(FORWARDED_FOR);
        if (!forwarded.isEmpty()) {
            String last = forwarded.get(forwarded.size() - 1);
            return address(last.substring(last.lastIndexOf(',') + 1).trim(), FORWARDED_FOR);
        }
        String real = headers.get(REAL_IP);
        return real == null ? null : address(real.trim(), REAL_IP);
    }

    private static String address(String value, String header) {
        var a = IpRules.address(value);
        if (a == null) {
            throw ServiceException.field(ErrorCode.INVALID_IP, header, header + " must be the client's IPv4 or IPv6 address");
        }
        return a.withoutPrefixLength().toCanonicalString();
    }

    /**
     * The permissions the gateway asks for: every {@code ?permission=} and every
     * {@code Servitor-Permission} header; all of them must be held. A value the client slipped in
     * (nginx and Traefik pass the client's headers on, Envoy the client's query) can therefore
     * only add a requirement, never lift the gateway's. Empty values ask for nothing.
     */
    static List<String> permissions(Request request) {
        List<String> asked = new ArrayList<>();
        Fields query;
        try {
            query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw ServiceException.field(ErrorCode.MALFORMED_REQUEST, "permission", "The query string is not valid percent-encoded UTF-8");
        }
        List<String> values = new ArrayList<>(query.getValuesOrEmpty("permission"));
        values.addAll(request.getHeaders().getValuesList(PERMISSION_HEADER));
        for (String p : values) {
            if (p.isEmpty() || asked.contains(p)) continue;
            if (!dev.servitor.caller.Permissions.isValid(p)) {
                throw ServiceException.field(ErrorCode.INVALID_VALUE, "permission",
                    "'permission' must be 1-128 characters of A-Z a-z 0-9 _ . : * -");
            }
            asked.add(p);
        }
        return asked;
    }

    /** The customer's credential: {@code Authorization} with Bearer, Token or Key, else {@code X-Api-Key}; or null. */
    static String customerCredential(HttpFields headers) {
        String fromAuthorization = CredentialGate.credential(headers.get(HttpHeader.AUTHORIZATION));
        if (fromAuthorization != null) return fromAuthorization;
        String apiKey = headers.get(API_KEY);
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }

    /** The first header of the request named {@code X-Servitor-*}, or null. */
    private static String clientIdentityHeader(HttpFields headers) {
        for (HttpField f : headers) {
            String name = f.getName();
            if (name.regionMatches(true, 0, IdentityHeaders.PREFIX, 0, IdentityHeaders.PREFIX.length())) return name;
        }
        return null;
    }

    private static void write(Request request, Response response, Callback callback, Answer answer) {
        if (answer.code() != null) {
            if (answer.code() == ErrorCode.UNAUTHENTICATED) response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"servitor\"");
            if (answer.retryAfter() > 0) response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(answer.retryAfter()));
            JettyProblems.write(request, response, callback, answer.status(), answer.code(), answer.detail(), answer.field());
            return;
        }
        response.setStatus(200);
        var headers = response.getHeaders();
        headers.put(ApiServer.REQUEST_ID, ApiServer.requestId(request.getHeaders().get(ApiServer.REQUEST_ID)));
        for (IdentityHeaders.Header h : answer.identity()) headers.put(h.name(), h.value());
        headers.put(HttpHeader.CONTENT_LENGTH, 0);
        response.write(true, ByteBuffer.allocate(0), callback);
    }
}
