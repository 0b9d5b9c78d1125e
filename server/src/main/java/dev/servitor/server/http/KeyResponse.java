// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.apikey.ApiKey;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/** A key in a list: never its secret. {@code restrictions} only when the key has any, with only the parts set. */
public record KeyResponse(String id, String name, String description, String type, String prefix, Instant createdAt,
                          Instant expiresAt, Instant lastUsedAt, String lastUsedIp,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> restrictions) {
    static KeyResponse of(ApiKey k) {
        return new KeyResponse(k.id(), k.name(), k.description(), k.type().wire(), k.prefix(), k.createdAt(),
            k.expiresAt(), k.lastUsedAt(), k.lastUsedIp(), restrictionsOf(k));
    }

    static Map<String, Object> restrictionsOf(ApiKey k) {
        return k.restrictions().isNone() ? null : k.restrictions().toMap();
    }
}
