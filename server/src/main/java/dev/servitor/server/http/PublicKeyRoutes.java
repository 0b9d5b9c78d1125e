// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.publickey.PublicKeyMaterial;
import dev.servitor.publickey.PublicKeyService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/** {@code /v1/service-accounts/{name}/public-keys}: a service account's keys for {@code private_key_jwt}. */
final class PublicKeyRoutes {
    static final String PATH = "/v1/service-accounts/{name}/public-keys";
    private static final Set<String> FIELDS = Set.of("jwk", "pem");

    private final PublicKeyService keys;

    PublicKeyRoutes(PublicKeyService keys) {
        this.keys = keys;
    }

    void register(JavalinConfig config) {
        config.routes.post(PATH, this::create);
        config.routes.get(PATH, ctx -> Json.write(ctx, 200,
            Map.of("public_keys", keys.list(caller(ctx), ctx.pathParam("name")).stream().map(PublicKeyResponse::of).toList())));
        config.routes.get(PATH + "/{kid}", ctx ->
            Json.write(ctx, 200, PublicKeyResponse.of(keys.get(caller(ctx), ctx.pathParam("name"), ctx.pathParam("kid")))));
        config.routes.delete(PATH + "/{kid}", ctx -> {
            keys.delete(caller(ctx), ctx.pathParam("name"), ctx.pathParam("kid"));
            ctx.status(204);
        });
    }

    private void create(Context ctx) {
        JsonBody b = JsonBody.read(ctx, FIELDS);
        String jwk = null;
        if (b.has("jwk") && !b.isNull("jwk")) {
            JsonNode node = b.node("jwk");
            if (!node.isObject()) throw ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, "jwk", "'jwk' must be a JSON object (a JWK)");
            try {
                jwk = Json.MAPPER.writeValueAsString(node);
            } catch (JsonProcessingException e) {
                throw ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, "jwk", "'jwk' must be a JSON object (a JWK)");
            }
        }
        String pem = b.string("pem", PublicKeyMaterial.MAX_CHARS);
        Json.write(ctx, 201, PublicKeyResponse.of(keys.create(caller(ctx), ctx.pathParam("name"), jwk, pem)));
    }
}
