// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import com.nimbusds.oauth2.sdk.GrantType;
import dev.servitor.oauthclient.ClientSecretService;
import dev.servitor.token.IssuedToken;
import dev.servitor.token.Issuer;
import dev.servitor.token.SigningKeys;
import dev.servitor.oauth.FederatedExchange;
import dev.servitor.oauth.TokenService;
import dev.servitor.publickey.PublicKeyService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OAuth 2.0 endpoints (RFC 6749 client_credentials, RFC 8693 token exchange, RFC 7662
 * introspection, RFC 7009 revocation, RFC 8414 metadata, JWKS) and the two /v1 calls that
 * hand out OAuth material: a service account's client secret and an impersonation token.
 * Each OAuth request's form and client authentication are parsed once ({@link OAuthForm},
 * {@link TokenGrant}); the {@link CredentialGate} checks the client; errors are written as
 * RFC 6749 errors by {@link Problems#writeOAuth}.
 */
final class OAuthRoutes {
    static final String INTROSPECT_PATH = IntrospectEndpoint.PATH;
    static final String SERVICE_ACCOUNT_TOKEN_TYPE = TokenGrant.SERVICE_ACCOUNT_TOKEN_TYPE;
    static final String ACCESS_TOKEN_TYPE = TokenGrant.ACCESS_TOKEN_TYPE;

    private final TokenService tokens;
    private final ClientSecretService secrets;
    private final SigningKeys signingKeys;
    private final CredentialGate gate;
    private final IntrospectEndpoint introspection;
    private final Issuer issuer;
    private final FederatedExchange federated;

    OAuthRoutes(TokenService tokens, ClientSecretService secrets, SigningKeys signingKeys, CredentialGate gate, Issuer issuer,
                FederatedExchange federated) {
        this.federated = federated;
        this.tokens = tokens;
        this.secrets = secrets;
        this.signingKeys = signingKeys;
        this.gate = gate;
        this.introspection = new IntrospectEndpoint(tokens);
        this.issuer = issuer;
    }

    void register(JavalinConfig config) {
        config.routes.post("/v1/service-accounts/{name}/secret", this::generateSecret);
        config.routes.post("/v1/service-accounts/{name}/impersonate", this::impersonate);
        config.routes.post("/oauth/token", this::token);
        config.routes.post(INTROSPECT_PATH, this::introspect);
        config.routes.post("/oauth/revoke", this::revoke);
        config.routes.get("/.well-known/oauth-authorization-server", this::metadata);
        config.routes.get("/.well-known/jwks.json", ctx -> ctx.contentType("application/json").result(signingKeys.publicJwks().toString()));
    }

    private void generateSecret(Context ctx) {
        Long grace = JsonBody.read(ctx, Set.of("grace_seconds")).integer("grace_seconds");
        var s = secrets.generate(caller(ctx), ctx.pathParam("name"), grace);
        Json.writeSecret(ctx, 201, Map.of("client_id", s.clientId(), "client_secret", s.clientSecret()));
    }

    private void impersonate(Context ctx) {
        JsonBody.read(ctx, Set.of());
        IssuedToken t = tokens.impersonate(caller(ctx), ctx.pathParam("name"));
        Json.noStore(ctx);
        Json.write(ctx, 200, tokenJson(t));
    }

    private void token(Context ctx) {
        Json.noStore(ctx);
        try {
            TokenGrant grant = TokenGrant.parse(OAuthForm.read(ctx), ctx.header("Authorization"));
            IssuedToken issued = issue(grant, gate.clientAddress(ctx));
            Map<String, Object> answer = tokenJson(issued);
            // RFC 8693 section 2.2.1: a token exchange's answer names the type of the token issued
            if (grant.isFederated()) answer.put("issued_token_type", ACCESS_TOKEN_TYPE);
            Json.write(ctx, 200, answer);
        } catch (RuntimeException e) {
            Problems.writeOAuth(ctx, e);
        }
    }

    /**
     * The token a grant asks for, once the gate has checked who asks: the client's secret for a
     * client credentials grant; for a token exchange, the actor token, and the client's secret
     * too when the request carries one.
     */
    private IssuedToken issue(TokenGrant grant, String ip) {
        if (grant.isFederated()) {
            String clientId = grant.form().optional("client_id");
            return gate.workloadToken(clientId, grant.subjectToken(), ip,
                () -> federated.exchange(clientId, grant.subjectToken(), grant.requested(), ip));
        }
        if (grant.isClientCredentials()) {
            OAuthForm.ClientCredentials client = gate.client(grant.form(), grant.authorization(), ip);
            return gate.clientSecret(client, ip, () -> client.isAssertion()
                ? tokens.clientCredentials(gate.assertion(client, ip), grant.requested(), ip)
                : tokens.clientCredentials(client.id(), client.secret(), grant.requested(), ip));
        }
        OAuthForm.ClientCredentials client = gate.optionalClient(grant.form(), grant.authorization(), ip);
        if (client != null) gate.authenticatedClient(client, ip);
        return gate.actorToken(grant.actorToken(), ip,
            () -> tokens.exchange(grant.actorToken(), grant.subjectToken(), grant.requested(), ip));
    }

    private void introspect(Context ctx) {
        Json.noStore(ctx);
        try {
            OAuthForm form = OAuthForm.read(ctx);
            Json.write(ctx, 200, introspection.answer(gate.oauthCaller(ctx, form), form));
        } catch (RuntimeException e) {
            Problems.writeOAuth(ctx, e);
        }
    }

    private void revoke(Context ctx) {
        Json.noStore(ctx);
        try {
            OAuthForm form = OAuthForm.read(ctx);
            var caller = gate.oauthCaller(ctx, form);
            tokens.revoke(caller, form.required("token"));
            ctx.status(200);
        } catch (RuntimeException e) {
            Problems.writeOAuth(ctx, e);
        }
    }

    private void metadata(Context ctx) {
        String iss = issuer.url();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", iss);
        m.put("token_endpoint", iss + "/oauth/token");
        m.put("jwks_uri", iss + "/.well-known/jwks.json");
        m.put("introspection_endpoint", iss + INTROSPECT_PATH);
        m.put("revocation_endpoint", iss + "/oauth/revoke");
        m.put("grant_types_supported", List.of(GrantType.CLIENT_CREDENTIALS.getValue(), GrantType.TOKEN_EXCHANGE.getValue(),
            GrantType.JWT_BEARER.getValue()));
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "private_key_jwt"));
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "bearer"));
        m.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "bearer"));
        m.put("response_types_supported", List.of());
        // the algorithms a private_key_jwt assertion is accepted in (RFC 8414 section 2)
        m.put("token_endpoint_auth_signing_alg_values_supported", PublicKeyService.ALGORITHMS);
        m.put("introspection_endpoint_auth_signing_alg_values_supported", PublicKeyService.ALGORITHMS);
        m.put("revocation_endpoint_auth_signing_alg_values_supported", PublicKeyService.ALGORITHMS);
        Json.write(ctx, 200, m);
    }

    private static Map<String, Object> tokenJson(IssuedToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", t.accessToken());
        m.put("token_type", "Bearer");
        m.put("expires_in", t.expiresIn());
        if (t.scope() != null) m.put("scope", t.scope());
        return m;
    }
}
