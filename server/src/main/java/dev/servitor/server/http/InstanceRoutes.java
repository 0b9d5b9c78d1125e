// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.compute.ComputeService;
import dev.servitor.compute.ComputeSettings;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.Set;

/**
 * {@code /v1/service-accounts/{name}/instances}: a service account's compute settings. A PUT
 * carries the whole body (MotherDuck: "you always need to pass the entire body"); a missing
 * member is 422 naming it by its path, e.g. {@code config.read_scaling.flock_size}.
 */
final class InstanceRoutes {
    private final ComputeService compute;

    InstanceRoutes(ComputeService compute) {
        this.compute = compute;
    }

    void register(JavalinConfig config) {
        config.routes.get("/v1/service-accounts/{name}/instances", ctx ->
            Json.write(ctx, 200, InstancesResponse.of(compute.get(caller(ctx), ctx.pathParam("name")))));
        config.routes.put("/v1/service-accounts/{name}/instances", this::put);
    }

    private void put(Context ctx) {
        JsonNode cfg = object(JsonBody.read(ctx, Set.of("config")).node("config"), "config", Set.of("read_write", "read_scaling"));
        JsonNode rw = object(cfg.get("read_write"), "config.read_write", Set.of("instance_size"));
        JsonNode rs = object(cfg.get("read_scaling"), "config.read_scaling", Set.of("instance_size", "flock_size"));
        ComputeSettings s = new ComputeSettings(text(rw, "config.read_write.instance_size"),
            text(rs, "config.read_scaling.instance_size"), flock(rs.get("flock_size")));
        Json.write(ctx, 200, InstancesResponse.of(compute.put(caller(ctx), ctx.pathParam("name"), s)));
    }

    /** The member as an object with only {@code allowed} members; absent or null is 422 naming {@code path}. */
    private static JsonNode object(JsonNode v, String path, Set<String> allowed) {
        if (v == null || v.isNull()) throw ServiceException.field(ErrorCode.MISSING_FIELD, path, "'" + path + "' is required");
        if (!v.isObject()) throw ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, path, "'" + path + "' must be an object");
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ServiceException.field(ErrorCode.UNKNOWN_FIELD, path + "." + f, "Unknown field '" + path + "." + f + "'");
            }
        }
        return v;
    }

    private static String text(JsonNode parent, String path) {
        JsonNode v = parent.get(path.substring(path.lastIndexOf('.') + 1));
        if (v == null || v.isNull()) throw ServiceException.field(ErrorCode.MISSING_FIELD, path, "'" + path + "' is required");
        if (!v.isTextual()) throw ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, path, "'" + path + "' must be a string");
        return v.textValue();
    }

    private static int flock(JsonNode v) {
        String path = "config.read_scaling.flock_size";
        if (v == null || v.isNull()) throw ServiceException.field(ErrorCode.MISSING_FIELD, path, "'" + path + "' is required");
        if (!v.isIntegralNumber()) throw ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, path, "'" + path + "' must be a whole number");
        // out of int range is out of 1-16 too; the service says so with 422
        return v.canConvertToInt() ? v.intValue() : Integer.MAX_VALUE;
    }
}
