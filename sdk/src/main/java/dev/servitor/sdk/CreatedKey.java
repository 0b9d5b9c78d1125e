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
    /** The key's per-key restrictions, or null for a key without any. */
    public KeyRestrictions restrictions() {
        return KeyRestrictions.of(Json.object(json, "restrictions"));
    }

    /** The uses the key has left now, for a key with {@code remaining_uses}; else null. */
    public Long remaining() {
        return Json.number(json, "remaining");
    }

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
