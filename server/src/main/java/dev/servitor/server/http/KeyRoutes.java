// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import dev.servitor.apikey.ApiKeyService;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.apikey.KeyUpdate;
import dev.servitor.apikey.NewKey;
import dev.servitor.apikey.RestrictionsInput;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * API keys of service accounts ({@code /v1/service-accounts/{name}/keys}) and personal keys of
 * users ({@code /v1/users/{name}/keys}): the same shapes and rules for both.
 */
final class KeyRoutes {
    private static final Set<String> CREATE_FIELDS =
        Set.of("name", "description", "type", "token_type", "ttl_seconds", "ttl", "expires_in_days", "restrictions");
    private static final Set<String> UPDATE_FIELDS = Set.of("name", "description", "restrictions");
    private static final Set<String> ROTATE_FIELDS = Set.of("grace_seconds");

    private final ApiKeyService keys;

    KeyRoutes(ApiKeyService keys) {
        this.keys = keys;
    }

    void register(JavalinConfig config) {
        register(config, "/v1/service-accounts/{name}/keys", KeyOwnerRef::serviceAccount);
        register(config, "/v1/users/{name}/keys", KeyOwnerRef::user);
    }

    private void register(JavalinConfig config, String base, Function<String, KeyOwnerRef> owner) {
        config.routes.post(base, ctx -> create(ctx, owner.apply(ctx.pathParam("name"))));
        config.routes.get(base, ctx -> list(ctx, owner.apply(ctx.pathParam("name"))));
        config.routes.delete(base + "/{key_id}", ctx -> revoke(ctx, owner.apply(ctx.pathParam("name"))));
        config.routes.post(base + "/{key_id}/rotate", ctx -> rotate(ctx, owner.apply(ctx.pathParam("name"))));
        config.routes.patch(base + "/{key_id}", ctx -> update(ctx, owner.apply(ctx.pathParam("name"))));
    }

    private void create(Context ctx, KeyOwnerRef owner) {
        JsonBody b = JsonBody.read(ctx, CREATE_FIELDS);
        String typeField = alias(b, "type", "token_type");
        String ttlField = alias(b, "ttl_seconds", "ttl");
        NewKey req = new NewKey(b.string("name"), b.string("description"), b.string(typeField),
            b.integerOrDigits(ttlField), b.integer("expires_in_days"), typeField, ttlField,
            b.has("restrictions") && !b.isNull("restrictions") ? RestrictionsBody.read(b) : null);
        Json.writeSecret(ctx, 201, CreatedKeyResponse.of(keys.create(caller(ctx), owner, req)));
    }

    /** {@code restrictions}: absent keeps the key's, null clears them all, an object changes the members it names. */
    private void update(Context ctx, KeyOwnerRef owner) {
        JsonBody b = JsonBody.read(ctx, UPDATE_FIELDS);
        RestrictionsInput restrictions = !b.has("restrictions") ? null
            : b.isNull("restrictions") ? KeyUpdate.clearAll() : RestrictionsBody.read(b);
        KeyUpdate req = new KeyUpdate(b.string("name"), b.string("description"), restrictions);
        Json.write(ctx, 200, KeyResponse.of(keys.update(caller(ctx), owner, ctx.pathParam("key_id"), req)));
    }

    private void list(Context ctx, KeyOwnerRef owner) {
        Json.write(ctx, 200, Map.of("keys", keys.list(caller(ctx), owner).stream().map(KeyResponse::of).toList()));
    }

    private void revoke(Context ctx, KeyOwnerRef owner) {
        keys.revoke(caller(ctx), owner, ctx.pathParam("key_id"));
        ctx.status(204);
    }

    private void rotate(Context ctx, KeyOwnerRef owner) {
        Long grace = JsonBody.read(ctx, ROTATE_FIELDS).integer("grace_seconds");
        Json.writeSecret(ctx, 201, CreatedKeyResponse.of(keys.rotate(caller(ctx), owner, ctx.pathParam("key_id"), grace)));
    }

    /** The field the caller used of a name and its alias; both at once is refused. */
    private static String alias(JsonBody b, String name, String alias) {
        if (b.has(name) && b.has(alias)) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, alias, "give '" + name + "' or its alias '" + alias + "', not both");
        }
        return b.has(alias) ? alias : name;
    }
}
