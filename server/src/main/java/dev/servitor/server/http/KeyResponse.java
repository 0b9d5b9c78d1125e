// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.apikey.ApiKey;
import java.time.Instant;

/** A key in a list: never its secret. */
public record KeyResponse(String id, String name, String description, String type, String prefix, Instant createdAt,
                          Instant expiresAt, Instant lastUsedAt, String lastUsedIp) {
    static KeyResponse of(ApiKey k) {
        return new KeyResponse(k.id(), k.name(), k.description(), k.type().wire(), k.prefix(), k.createdAt(),
            k.expiresAt(), k.lastUsedAt(), k.lastUsedIp());
    }
}
