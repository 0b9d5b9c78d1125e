// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import java.util.Map;

/**
 * A request the {@link CredentialGate} turned away before anything of its body was read: 401
 * (a missing or bad credential), 403 (a refused address, a missing permission, a cross-site
 * session request) or 429 (too many failed authentications, or a key past its own rate limit or
 * uses). It was counted (and a 403 audited) when it was made, so whoever answers it, the hot
 * path's handing on included, answers it as it is and never decides again.
 */
final class Refusal extends RuntimeException {
    static final String CHALLENGE = "Bearer realm=\"servitor\"";
    private final ServiceException problem;
    private final long retryAfterSeconds;

    private Refusal(ServiceException problem, long retryAfterSeconds) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** One answer for missing, malformed, unknown, expired, revoked and disabled: never tell the presenter which. */
    static Refusal unauthenticated() {
        return new Refusal(new ServiceException(ErrorCode.UNAUTHENTICATED, "A valid credential is required"), 0);
    }

    static Refusal rateLimited(long waitSeconds) {
        return new Refusal(new ServiceException(ErrorCode.RATE_LIMITED,
            "Too many failed authentications; retry after " + waitSeconds + " s"), waitSeconds);
    }

    /** An API key past its own rate_limit (docs/api.md "Per-key restrictions"). */
    static Refusal keyRateLimited(long waitSeconds) {
        return new Refusal(new ServiceException(ErrorCode.KEY_RATE_LIMITED,
            "This key's rate limit is reached; retry after " + waitSeconds + " s"), waitSeconds);
    }

    /** An API key whose remaining_uses are spent. */
    static Refusal usageExceeded() {
        return new Refusal(new ServiceException(ErrorCode.USAGE_EXCEEDED,
            "This key has no uses left (until its next refill, if it has one)"), 0);
    }

    /** Past the anonymous leak reports' limit per address. */
    static Refusal tooManyReports(long waitSeconds) {
        return new Refusal(new ServiceException(ErrorCode.RATE_LIMITED,
            "Too many leak reports from this address; retry after " + waitSeconds + " s"), waitSeconds);
    }

    /** A rule's refusal (403 from the {@link dev.servitor.authz.Authorizer} or the network policy). */
    static Refusal of(ServiceException problem) {
        return new Refusal(problem, 0);
    }

    ServiceException problem() {
        return problem;
    }

    ErrorCode code() {
        return problem.code();
    }

    /** The headers that go with the problem document: the 401's challenge, the 429's {@code Retry-After}. */
    Map<String, String> headers() {
        if (problem.code() == ErrorCode.UNAUTHENTICATED) return Map.of("WWW-Authenticate", CHALLENGE);
        if (retryAfterSeconds > 0) return Map.of("Retry-After", Long.toString(retryAfterSeconds));
        return Map.of();
    }

    /** Seconds for {@code Retry-After}; 0 when the refusal is not a rate limit. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
