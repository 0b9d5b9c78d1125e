// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.caller.Caller;
import dev.servitor.authn.Verification;
import dev.servitor.authn.VerificationService;
import java.util.Set;

/**
 * {@code POST /v1/verify}, once for the {@link HotPath} and the routes: a gateway that the
 * {@link CredentialGate} admitted (it holds {@code verify}) asks about a credential. The answer is
 * always a 200 {@link IdentityResponse.Verify}; only a malformed request body is refused.
 */
final class VerifyEndpoint {
    static final String PATH = "/v1/verify";
    static final String ROUTE = "POST " + PATH;
    static final Set<String> FIELDS = Set.of("credential", "permission", "ip");
    private final VerificationService verification;
    private final ServerMetrics metrics;

    VerifyEndpoint(VerificationService verification, ServerMetrics metrics) {
        this.verification = verification;
        this.metrics = metrics;
    }

    /** The answer for a request body ({@link JsonBody} of {@link #FIELDS}); a malformed body throws its 400/422. */
    IdentityResponse.Verify answer(Caller gateway, JsonBody body) {
        return answer(gateway, body.string("credential", JsonBody.MAX_BYTES), body.string("permission"), body.string("ip"));
    }

    /**
     * Whether {@code credential} is valid and, when {@code permission} is given, holds it, as
     * seen from {@code clientIp} (null: the gateway's own address): the one verification every
     * gateway call makes.
     */
    IdentityResponse.Verify answer(Caller gateway, String credential, String permission, String clientIp) {
        Verification v = verification.verify(gateway, credential, permission, clientIp);
        metrics.verification(v.code());
        return IdentityResponse.Verify.of(v.valid(), v.code().name(), v.caller(), v.restrictions());
    }
}
