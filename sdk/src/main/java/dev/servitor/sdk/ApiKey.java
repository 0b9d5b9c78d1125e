// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.time.Instant;
import java.util.Map;

/** A live key as a list shows it: never its secret, only the first characters ({@code prefix}) for display. */
public record ApiKey(String id, String name, String description, String type, String prefix, Instant createdAt,
                     Instant expiresAt, Instant lastUsedAt, String lastUsedIp, Map<String, Object> json) {
    /** The key's per-key restrictions, or null for a key without any. */
    public KeyRestrictions restrictions() {
        return KeyRestrictions.of(Json.object(json, "restrictions"));
    }

    /** The uses the key has left now, for a key with {@code remaining_uses}; else null. */
    public Long remaining() {
        return Json.number(json, "remaining");
    }

    static ApiKey of(Map<String, Object> o) {
        return new ApiKey(Json.string(o, "id"), Json.string(o, "name"), Json.string(o, "description"), Json.string(o, "type"),
            Json.string(o, "prefix"), Json.instant(o, "created_at"), Json.instant(o, "expires_at"),
            Json.instant(o, "last_used_at"), Json.string(o, "last_used_ip"), Json.frozen(o));
    }
}
