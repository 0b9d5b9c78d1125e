// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.caller.Caller;
import dev.servitor.oauth.TokenService;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /oauth/introspect} (RFC 7662), once for the {@link HotPath} and the routes: a
 * caller the {@link CredentialGate} admitted asks about a token. {@code active} only for a valid
 * credential the caller may see; a form without {@code token} is {@code invalid_request}.
 */
final class IntrospectEndpoint {
    static final String PATH = "/oauth/introspect";
    private final TokenService tokens;

    IntrospectEndpoint(TokenService tokens) {
        this.tokens = tokens;
    }

    Map<String, Object> answer(Caller caller, OAuthForm form) {
        String token = form.required("token");
        return json(tokens.introspect(caller, token));
    }

    private static Map<String, Object> json(TokenService.Introspection i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", i.active());
        if (!i.active()) return m;
        m.put("sub", i.subject().principal().id());
        m.put("client_id", i.subject().principal().id());
        m.put("username", i.subject().principal().name());
        m.put("email", i.subject().principal().email());
        m.put("org", i.subject().principal().orgName());
        m.put("token_type", i.claims() != null ? "Bearer" : "api_key");
        if (i.subject().credential().expiresAt() != null) m.put("exp", i.subject().credential().expiresAt().getEpochSecond());
        if (i.claims() != null) {
            m.put("iat", i.claims().issuedAt().getEpochSecond());
            m.put("iss", i.claims().issuer());
            m.put("aud", i.claims().audience());
            m.put("jti", i.claims().jti());
            if (i.claims().scope() != null) m.put("scope", i.claims().scope());
            if (i.claims().federation() != null) m.put("fed", IdentityResponse.FederationJson.of(i.claims().federation()));
        }
        if (i.subject().actor() != null) {
            m.put("act", Map.of("sub", i.subject().actor().id(), "email", i.subject().actor().email()));
        }
        return m;
    }
}
