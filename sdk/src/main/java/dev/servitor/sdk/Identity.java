// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Who a credential belongs to: the answer of {@code /v1/whoami}, and the body of a valid
 * {@code /v1/verify}. {@code actor} is present only under impersonation.
 */
public record Identity(Principal principal, Principal actor, List<String> permissions, Credential credential,
                       Map<String, Object> json) {
    /** A service account or a user: {@code type} is {@code service_account} or {@code user}. */
    public record Principal(String id, String type, String name, String email, String org) {
        static Principal of(Map<String, Object> o) {
            return o == null ? null : new Principal(Json.string(o, "id"), Json.string(o, "type"), Json.string(o, "name"),
                Json.string(o, "email"), Json.string(o, "org"));
        }
    }

    /** The credential used: {@code kind} is api_key, access_token or session; {@code type} read_write or read_scaling. */
    public record Credential(String id, String kind, String type, Instant expiresAt) {
        static Credential of(Map<String, Object> o) {
            return o == null ? null : new Credential(Json.string(o, "id"), Json.string(o, "kind"), Json.string(o, "type"),
                Json.instant(o, "expires_at"));
        }
    }

    static Identity of(Map<String, Object> o) {
        return new Identity(Principal.of(Json.object(o, "principal")), Principal.of(Json.object(o, "actor")),
            Json.strings(o, "permissions"), Credential.of(Json.object(o, "credential")), Json.frozen(o));
    }
}
