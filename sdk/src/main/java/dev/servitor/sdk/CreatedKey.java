// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.time.Instant;
import java.util.Map;

/**
 * A new key with its secret ({@code key}), from a create or a rotate. The server returns the secret in
 * this one answer and never again (it keeps only a hash); {@link #toString()} never prints it.
 */
public record CreatedKey(String id, String name, String description, String type, Instant createdAt, Instant expiresAt,
                         String key, Map<String, Object> json) {
    static CreatedKey of(Map<String, Object> o) {
        return new CreatedKey(Json.string(o, "id"), Json.string(o, "name"), Json.string(o, "description"),
            Json.string(o, "type"), Json.instant(o, "created_at"), Json.instant(o, "expires_at"), Json.string(o, "key"),
            Json.frozen(o));
    }

    @Override
    public String toString() {
        return "CreatedKey[id=" + id + ", name=" + name + ", type=" + type + ", expiresAt=" + expiresAt + ", key=<redacted>]";
    }
}
