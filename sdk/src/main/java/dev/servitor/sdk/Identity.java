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

    /**
     * The credential used: {@code kind} is api_key, access_token or session; {@code type} read_write or read_scaling
     * (an API key's; null for a token). {@code federation} is set only for an access token obtained by exchanging a
     * workload's token from a federated issuer ({@code credential.federation}, the token's {@code fed} claim).
     */
    public record Credential(String id, String kind, String type, Instant expiresAt, Federation federation) {
        /** A credential that did not come from workload identity federation. */
        public Credential(String id, String kind, String type, Instant expiresAt) {
            this(id, kind, type, expiresAt, null);
        }

        /** Whether this is an access token exchanged for a federated workload's token. */
        public boolean federated() {
            return federation != null;
        }

        static Credential of(Map<String, Object> o) {
            return o == null ? null : new Credential(Json.string(o, "id"), Json.string(o, "kind"), Json.string(o, "type"),
                Json.instant(o, "expires_at"), Federation.of(Json.object(o, "federation")));
        }
    }

    /**
     * The workload an access token was issued to through federation: {@code issuer} is the name of the federation
     * issuer as registered in Servitor, {@code subject} the workload token's {@code sub}, {@code credential} the name of
     * the service account's federated credential that matched.
     */
    public record Federation(String issuer, String subject, String credential) {
        static Federation of(Map<?, ?> o) {
            return o == null ? null : new Federation(str(o, "issuer"), str(o, "subject"), str(o, "credential"));
        }

        private static String str(Map<?, ?> o, String key) {
            Object v = o.get(key);
            return v == null ? null : v.toString();
        }
    }

    static Identity of(Map<String, Object> o) {
        return new Identity(Principal.of(Json.object(o, "principal")), Principal.of(Json.object(o, "actor")),
            Json.strings(o, "permissions"), Credential.of(Json.object(o, "credential")), Json.frozen(o));
    }
}
