// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import io.javalin.config.JavalinConfig;

/** {@code /v1/whoami} (the caller itself) and {@code /v1/verify} (a gateway asking about a credential). */
final class IdentityRoutes {
    private final VerifyEndpoint verify;

    IdentityRoutes(VerifyEndpoint verify) {
        this.verify = verify;
    }

    void register(JavalinConfig config) {
        config.routes.get("/v1/whoami", ctx -> Json.write(ctx, 200, IdentityResponse.WhoAmI.of(caller(ctx))));
        config.routes.post(VerifyEndpoint.PATH, ctx -> Json.write(ctx, 200, verify.answer(caller(ctx), JsonBody.read(ctx, VerifyEndpoint.FIELDS))));
    }
}
