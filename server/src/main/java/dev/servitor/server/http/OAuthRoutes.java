// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.Authenticator.caller;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import dev.servitor.caller.Caller;
import dev.servitor.common.ServiceException;
import dev.servitor.oauthclient.ClientSecretService;
import dev.servitor.token.IssuedToken;
import dev.servitor.token.Issuer;
import dev.servitor.token.OAuthException;
import dev.servitor.token.SigningKeys;
import dev.servitor.oauth.TokenService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OAuth 2.0 endpoints (RFC 6749 client_credentials, RFC 8693 token exchange, RFC 7662
 * introspection, RFC 7009 revocation, RFC 8414 metadata, JWKS) and the two /v1 calls that
 * hand out OAuth material: a service account's client secret and an impersonation token.
 * Requests are parsed and errors built with the Nimbus OAuth 2.0 SDK.
 */
final class OAuthRoutes {
    static final String INTROSPECT_PATH = "/oauth/introspect";
    /** The subject token type of an impersonation by token exchange: the service account's client id. */
    static final String SERVICE_ACCOUNT_TOKEN_TYPE = "urn:servitor:params:oauth:token-type:service-account-id";
    /** The type of the actor token of an impersonation: the admin's API key or access token. */
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private final TokenService tokens;
    private final ClientSecretService secrets;
    private final SigningKeys signingKeys;
    private final Authenticator authenticator;
    private final Issuer issuer;

    OAuthRoutes(TokenService tokens, ClientSecretService secrets, SigningKeys signingKeys, Authenticator authenticator, Issuer issuer) {
        this.tokens = tokens;
        this.secrets = secrets;
        this.signingKeys = signingKeys;
        this.authenticator = authenticator;
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
        String ip = authenticator.clientAddress(ctx);
        AuthFailureLimiter limiter = authenticator.limiter();
        TokenCall call = null;
        try {
            call = tokenCall(ctx);
            IssuedToken t = issue(ctx, call, ip);
            if (t != null) Json.write(ctx, 200, tokenJson(t));
        } catch (ParseException e) {
            ErrorObject error = parseError(ctx, e);
            if (OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode()) && rateLimited(ctx, limiter.failed(ip, null))) return;
            oauthError(ctx, error);
        } catch (OAuthException e) {
            boolean failedAuthentication = OAuthException.INVALID_CLIENT.equals(e.error()) || OAuthException.INVALID_GRANT.equals(e.error());
            // past a limit, a wrong credential is answered 429; a right one never gets here
            if (failedAuthentication && rateLimited(ctx, limiter.failed(ip, call == null ? null : call.checkedClientId()))) return;
            oauthError(ctx, errorObject(e));
        } catch (ServiceException e) {
            refused(ctx, e);
        }
    }

    /** A parsed token request: its grant, the client authentication it carries (or null) and the target asked for. */
    private record TokenCall(AuthorizationGrant grant, OAuthForm.ClientCredentials client, TokenService.Requested requested) {
        /** The client id whose secret is checked: a client_credentials grant's, once authenticated by one. */
        String checkedClientId() {
            return grant instanceof ClientCredentialsGrant && client != null ? client.id() : null;
        }
    }

    private static TokenCall tokenCall(Context ctx) throws ParseException {
        byte[] body = JsonBody.readBounded(ctx);
        OAuthForm form = OAuthForm.of(ctx.contentType(), body); // one value per parameter (RFC 6749 section 3.2)
        OAuthForm.ClientCredentials client = form.client(ctx.header("Authorization")); // one way of authenticating
        checkActorTokenType(form);
        TokenRequest req = parse(nimbusRequest(ctx, body));
        return new TokenCall(req.getAuthorizationGrant(), client,
            new TokenService.Requested(form.optional("audience"), form.optional("resource"), form.optional("scope")));
    }

    /** The token granted, or null when the failure limiter held the request back and answered it. */
    private IssuedToken issue(Context ctx, TokenCall call, String ip) {
        AuthFailureLimiter limiter = authenticator.limiter();
        if (call.grant() instanceof ClientCredentialsGrant) {
            OAuthForm.ClientCredentials client = call.client();
            if (client == null) throw OAuthException.invalidClient();
            // only this address's own failures hold it back here, before any hashing of the secret
            if (rateLimited(ctx, limiter.retryBeforeCheck(ip, client.id(), client.secret()))) return null;
            IssuedToken t = tokens.clientCredentials(client.id(), client.secret(), call.requested(), ip);
            limiter.succeeded(client.secret());
            return t;
        }
        if (call.grant() instanceof TokenExchangeGrant x) {
            if (x.getActorToken() == null || !SERVICE_ACCOUNT_TOKEN_TYPE.equals(x.getSubjectTokenType().getURI().toString())) {
                throw new OAuthException(OAuthException.INVALID_REQUEST, "Impersonation needs subject_token_type "
                    + SERVICE_ACCOUNT_TOKEN_TYPE + " (the service account's client id) and an actor_token (your credential)");
            }
            if (rateLimited(ctx, limiter.retryBeforeCheck(ip, null, x.getActorToken().getValue()))) return null;
            IssuedToken t = tokens.exchange(x.getActorToken().getValue(), x.getSubjectToken().getValue(), call.requested(), ip);
            limiter.succeeded(x.getActorToken().getValue());
            return t;
        }
        throw new OAuthException(OAuthException.UNSUPPORTED_GRANT_TYPE, "Supported: client_credentials and token exchange");
    }

    /** A rule or the store refused the grant: still an RFC 6749 answer here. */
    private static void refused(Context ctx, ServiceException e) {
        if (e.code().status() == 503) { // the store is down or the audit queue full: refused, never granted unaudited
            ctx.header("Retry-After", "1");
            oauthError(ctx, new ErrorObject("temporarily_unavailable", e.detail(), 503));
            return;
        }
        // e.g. the account is disabled
        oauthError(ctx, (e.code().status() == 403 ? OAuth2Error.ACCESS_DENIED.setHTTPStatusCode(403) : OAuth2Error.INVALID_GRANT)
            .setDescription(description(e.detail())));
    }

    private static TokenRequest parse(HTTPRequest request) throws ParseException {
        try {
            return TokenRequest.parse(request);
        } catch (RuntimeException e) {
            // Nimbus throws, e.g., when the error it builds would quote a parameter with a control character
            throw new OAuthException(OAuthException.INVALID_REQUEST, "The token request is malformed");
        }
    }

    /**
     * RFC 8693 section 2.1: {@code actor_token_type} comes with an {@code actor_token} and only
     * with one. The one type taken is an access token: a Servitor API key or access token.
     */
    private static void checkActorTokenType(OAuthForm form) {
        if (!GrantType.TOKEN_EXCHANGE.getValue().equals(form.optional("grant_type"))) return;
        String type = form.optional("actor_token_type");
        if (form.optional("actor_token") == null) {
            if (type != null) throw new OAuthException(OAuthException.INVALID_REQUEST, "actor_token_type is given without an actor_token");
            return;
        }
        if (!ACCESS_TOKEN_TYPE.equals(type)) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, "The actor_token_type must be " + ACCESS_TOKEN_TYPE);
        }
    }

    /** Answers 429 with Retry-After and an RFC 6749-style error if {@code wait} is positive. */
    private static boolean rateLimited(Context ctx, long wait) {
        if (wait <= 0) return false;
        ctx.header("Retry-After", Long.toString(wait));
        oauthError(ctx, new ErrorObject("temporarily_unavailable",
            "Too many failed client authentications; retry after " + wait + " s", 429));
        return true;
    }

    private void introspect(Context ctx) {
        Json.noStore(ctx);
        try {
            OAuthForm form = OAuthForm.read(ctx);
            String token = form.required("token");
            Json.write(ctx, 200, introspectionJson(tokens.introspect(formCaller(ctx, form), token)));
        } catch (OAuthException e) {
            oauthError(ctx, errorObject(e));
        }
    }

    private void revoke(Context ctx) {
        Json.noStore(ctx);
        try {
            OAuthForm form = OAuthForm.read(ctx);
            String token = form.required("token");
            tokens.revoke(formCaller(ctx, form), token);
            ctx.status(200);
        } catch (OAuthException e) {
            oauthError(ctx, errorObject(e));
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
        m.put("grant_types_supported", List.of(GrantType.CLIENT_CREDENTIALS.getValue(), GrantType.TOKEN_EXCHANGE.getValue()));
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "bearer"));
        m.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "bearer"));
        m.put("response_types_supported", List.of());
        m.put("token_endpoint_auth_signing_alg_values_supported", List.of("ES256"));
        Json.write(ctx, 200, m);
    }

    /** The caller of an introspection or revocation: a /v1 credential, else the client's id and secret. */
    private Caller formCaller(Context ctx, OAuthForm form) {
        String authorization = ctx.header("Authorization");
        if (Authenticator.credential(authorization) != null) return v1Caller(ctx);
        OAuthForm.ClientCredentials client = form.client(authorization);
        if (client == null) throw OAuthException.invalidClient();
        return tokens.authenticateClient(client.id(), client.secret(), authenticator.clientAddress(ctx));
    }

    /** The caller behind a /v1 credential: an admin, or a gateway holding verify. */
    private Caller v1Caller(Context ctx) {
        try {
            authenticator.authenticate(ctx);
        } catch (RuntimeException e) {
            throw OAuthException.invalidClient();
        }
        return caller(ctx);
    }

    private static HTTPRequest nimbusRequest(Context ctx, byte[] body) {
        HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create("http://localhost" + ctx.path()));
        if (ctx.contentType() != null) r.setHeader("Content-Type", ctx.contentType());
        String auth = ctx.header("Authorization");
        if (auth != null) r.setAuthorization(auth);
        r.setBody(new String(body, StandardCharsets.UTF_8));
        return r;
    }

    private static ErrorObject parseError(Context ctx, ParseException e) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic", 0, 5)) {
            try {
                ClientSecretBasic.parse(auth);
            } catch (ParseException badHeader) {
                return OAuth2Error.INVALID_CLIENT; // a mangled client authentication is answered like any other
            }
        }
        ErrorObject eo = e.getErrorObject();
        return eo != null && eo.getCode() != null ? eo : OAuth2Error.INVALID_REQUEST.setDescription(description(e.getMessage()));
    }

    private static ErrorObject errorObject(OAuthException e) {
        ErrorObject base = switch (e.error()) {
            case OAuthException.INVALID_CLIENT -> OAuth2Error.INVALID_CLIENT;
            case OAuthException.INVALID_GRANT -> OAuth2Error.INVALID_GRANT;
            case OAuthException.INVALID_SCOPE -> OAuth2Error.INVALID_SCOPE;
            case OAuthException.INVALID_TARGET -> OAuth2Error.INVALID_TARGET;
            case OAuthException.UNSUPPORTED_GRANT_TYPE -> OAuth2Error.UNSUPPORTED_GRANT_TYPE;
            case OAuthException.ACCESS_DENIED -> OAuth2Error.ACCESS_DENIED.setHTTPStatusCode(403);
            default -> OAuth2Error.INVALID_REQUEST;
        };
        return base.setDescription(description(e.description()));
    }

    /**
     * The text as an error_description may carry it (RFC 6749 section 5.2: printable ASCII but
     * {@code "} and {@code \}); anything else, which a caller's parameter may bring, becomes
     * {@code ?}. Nimbus throws on the rest.
     */
    static String description(String text) {
        if (text == null) return null;
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '?');
        }
        return sb.toString();
    }

    private static void oauthError(Context ctx, ErrorObject error) {
        if (OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode())) {
            error = OAuth2Error.INVALID_CLIENT; // one answer whatever part of the client authentication was wrong
            ctx.header("WWW-Authenticate", "Basic realm=\"servitor\"");
        }
        HTTPResponse r = new TokenErrorResponse(error).toHTTPResponse();
        Json.noStore(ctx);
        ctx.status(r.getStatusCode()).contentType("application/json").result(r.getBody());
    }

    private static Map<String, Object> tokenJson(IssuedToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", t.accessToken());
        m.put("token_type", "Bearer");
        m.put("expires_in", t.expiresIn());
        if (t.scope() != null) m.put("scope", t.scope());
        return m;
    }

    static Map<String, Object> introspectionJson(TokenService.Introspection i) {
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
        }
        if (i.subject().actor() != null) {
            m.put("act", Map.of("sub", i.subject().actor().id(), "email", i.subject().actor().email()));
        }
        return m;
    }
}
