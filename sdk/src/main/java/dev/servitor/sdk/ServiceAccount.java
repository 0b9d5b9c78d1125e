// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A service account as the API shows it. {@code issuedKey} is present only in the answer of a create
 * with {@code issue_key}; it holds a secret, shown once, which {@link #toString()} never prints.
 * {@code json} is the object exactly as the server sent it.
 */
public record ServiceAccount(String id, String name, String email, String description, String role, List<String> groups,
                             String networkPolicy, boolean orgAdmin, boolean disabled, Instant createdAt,
                             Instant updatedAt, String createdBy, long keyCount, List<String> linkedUsers,
                             IssuedKey issuedKey, Map<String, Object> json) {

    /** The key minted together with the account: {@code key} is the secret, shown once. */
    public record IssuedKey(String id, String name, String key) {
        @Override
        public String toString() {
            return "IssuedKey[id=" + id + ", name=" + name + ", key=<redacted>]"; // never print the secret
        }
    }

    static ServiceAccount of(Map<String, Object> o) {
        Map<String, Object> k = Json.object(o, "key");
        IssuedKey key = k == null ? null : new IssuedKey(Json.string(k, "id"), Json.string(k, "name"), Json.string(k, "key"));
        Long keyCount = Json.number(o, "key_count");
        return new ServiceAccount(Json.string(o, "id"), Json.string(o, "name"), Json.string(o, "email"),
            Json.string(o, "description"), Json.string(o, "role"), Json.strings(o, "groups"), Json.string(o, "network_policy"),
            Json.bool(o, "is_org_admin"), Json.bool(o, "disabled"), Json.instant(o, "created_at"), Json.instant(o, "updated_at"),
            Json.string(o, "created_by"), keyCount == null ? 0 : keyCount, Json.strings(o, "linked_users"), key, Json.frozen(o));
    }

    @Override
    public String toString() {
        return "ServiceAccount[id=" + id + ", name=" + name + ", role=" + role + ", groups=" + groups + ", disabled=" + disabled
            + (issuedKey == null ? "" : ", issuedKey=" + issuedKey) + "]"; // json may hold the issued secret
    }
}
