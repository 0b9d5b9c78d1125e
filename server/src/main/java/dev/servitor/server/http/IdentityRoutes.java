// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.Authenticator.caller;

import dev.servitor.authn.Verification;
import dev.servitor.authn.VerificationService;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Set;

/** {@code /v1/whoami} (the caller itself) and {@code /v1/verify} (a gateway asking about a credential). */
final class IdentityRoutes {
    static final String VERIFY_PATH = "/v1/verify";
    static final Set<String> VERIFY_FIELDS = Set.of("credential", "permission", "ip");
    private final VerificationService verification;
    private final ServerMetrics metrics;

    IdentityRoutes(VerificationService verification, ServerMetrics metrics) {
        this.verification = verification;
        this.metrics = metrics;
    }

    void register(JavalinConfig config) {
        config.routes.get("/v1/whoami", ctx -> Json.write(ctx, 200, IdentityResponse.WhoAmI.of(caller(ctx))));
        config.routes.post(VERIFY_PATH, this::verify);
    }

    private void verify(Context ctx) {
        JsonBody b = JsonBody.read(ctx, VERIFY_FIELDS);
        Verification v = verification.verify(caller(ctx), b.string("credential", JsonBody.MAX_BYTES), b.string("permission"), b.string("ip"));
        metrics.verification(v.code());
        Json.write(ctx, 200, IdentityResponse.Verify.of(v.valid(), v.code().name(), v.caller()));
    }
}
