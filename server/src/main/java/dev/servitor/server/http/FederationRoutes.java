// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.federation.FederationService;
import dev.servitor.federation.NewFederatedCredential;
import dev.servitor.federation.NewIssuer;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code /v1/federation/issuers} and {@code /v1/service-accounts/{name}/federated-credentials}: parse, one service call, render. */
final class FederationRoutes {
    static final String ISSUERS = "/v1/federation/issuers";
    static final String CREDENTIALS = "/v1/service-accounts/{name}/federated-credentials";
    private static final Set<String> ISSUER_FIELDS = Set.of("name", "issuer_url", "jwks_uri", "jwks", "max_token_age_seconds", "require_jti");
    private static final Set<String> CREDENTIAL_FIELDS = Set.of("name", "issuer", "audience", "subject", "subject_prefix", "claims",
        "condition", "token_lifetime_seconds");

    private final FederationService federation;

    FederationRoutes(FederationService federation) {
        this.federation = federation;
    }

    void register(JavalinConfig config) {
        config.routes.post(ISSUERS, ctx -> Json.write(ctx, 201, IssuerResponse.of(federation.createIssuer(caller(ctx), issuer(ctx)))));
        config.routes.get(ISSUERS, ctx -> Json.write(ctx, 200,
            ListResponse.of("issuers", federation.listIssuers(caller(ctx), QueryParams.page(ctx)), IssuerResponse::of)));
        config.routes.get(ISSUERS + "/{issuer}", ctx ->
            Json.write(ctx, 200, IssuerResponse.of(federation.getIssuer(caller(ctx), ctx.pathParam("issuer")))));
        config.routes.patch(ISSUERS + "/{issuer}", ctx ->
            Json.write(ctx, 200, IssuerResponse.of(federation.updateIssuer(caller(ctx), ctx.pathParam("issuer"), issuer(ctx)))));
        config.routes.delete(ISSUERS + "/{issuer}", ctx -> {
            federation.deleteIssuer(caller(ctx), ctx.pathParam("issuer"));
            ctx.status(204);
        });
        config.routes.post(CREDENTIALS, ctx -> Json.write(ctx, 201,
            FederatedCredentialResponse.of(federation.createCredential(caller(ctx), ctx.pathParam("name"), credential(ctx)))));
        config.routes.get(CREDENTIALS, ctx -> Json.write(ctx, 200, ListResponse.of("federated_credentials",
            federation.listCredentials(caller(ctx), ctx.pathParam("name"), QueryParams.page(ctx)), FederatedCredentialResponse::of)));
        config.routes.get(CREDENTIALS + "/{fc}", ctx -> Json.write(ctx, 200,
            FederatedCredentialResponse.of(federation.getCredential(caller(ctx), ctx.pathParam("name"), ctx.pathParam("fc")))));
        config.routes.patch(CREDENTIALS + "/{fc}", ctx -> Json.write(ctx, 200, FederatedCredentialResponse.of(
            federation.updateCredential(caller(ctx), ctx.pathParam("name"), ctx.pathParam("fc"), credential(ctx)))));
        config.routes.delete(CREDENTIALS + "/{fc}", ctx -> {
            federation.deleteCredential(caller(ctx), ctx.pathParam("name"), ctx.pathParam("fc"));
            ctx.status(204);
        });
    }

    private static NewIssuer issuer(Context ctx) {
        JsonBody b = JsonBody.read(ctx, ISSUER_FIELDS);
        return new NewIssuer(b.string("name"), b.string("issuer_url", 2048), cleared(b, "jwks_uri", 2048), jwks(b),
            b.integer("max_token_age_seconds"), b.bool("require_jti"));
    }

    /** The inline key set: a JSON object (or its text); JSON null clears it, as an empty string does. */
    private static String jwks(JsonBody b) {
        JsonNode v = b.node("jwks");
        if (v == null) return null;
        if (v.isNull()) return "";
        if (v.isTextual()) return v.textValue();
        if (!v.isObject()) throw ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, "jwks", "'jwks' must be a JWK set (an object)");
        return v.toString();
    }

    private static NewFederatedCredential credential(Context ctx) {
        JsonBody b = JsonBody.read(ctx, CREDENTIAL_FIELDS);
        return new NewFederatedCredential(b.string("name"), b.string("issuer"), b.string("audience"), cleared(b, "subject"),
            cleared(b, "subject_prefix"), claims(b), cleared(b, "condition", 4096), b.integer("token_lifetime_seconds"));
    }

    /** A string field; JSON null clears it (as an empty string does). */
    private static String cleared(JsonBody b, String field) {
        return cleared(b, field, JsonBody.MAX_STRING);
    }

    private static String cleared(JsonBody b, String field, int maxChars) {
        return b.isNull(field) ? "" : b.string(field, maxChars);
    }

    /** {@code {claim: value}} with string, number or boolean values, compared as their text; JSON null clears them. */
    private static Map<String, String> claims(JsonBody b) {
        JsonNode v = b.node("claims");
        if (v == null) return null;
        if (v.isNull()) return Map.of();
        if (!v.isObject()) throw ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, "claims", "'claims' must be an object of claim values");
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (!(value.isTextual() || value.isIntegralNumber() || value.isBoolean())) {
                throw ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, "claims." + e.getKey(),
                    "'claims' values must be strings, whole numbers or booleans");
            }
            out.put(e.getKey(), value.asText());
        }
        return out;
    }
}
