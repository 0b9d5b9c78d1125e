// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.token.OAuthException;
import dev.servitor.oauth.TokenService;

/**
 * What a {@code /oauth/token} request asks for, read from its form, once: a client credentials
 * grant (RFC 6749 section 4.4) or a token exchange for impersonation (RFC 8693), and the target
 * and scope asked for. The client authentication the request carries stays in the form and
 * Authorization header for the {@link CredentialGate} to parse and check.
 * <p>
 * Only what decides how the request authenticates is checked here: a missing {@code grant_type}
 * or a token exchange without its four parameters is {@code invalid_request}, another grant type
 * {@code unsupported_grant_type}. The target and scope are checked once the caller is
 * authenticated (docs/api.md, "The token endpoint's order").
 */
record TokenGrant(String type, OAuthForm form, String authorization, String subjectToken, String actorToken,
                  TokenService.Requested requested) {
    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** The subject token type of an impersonation by token exchange: the service account's client id. */
    static final String SERVICE_ACCOUNT_TOKEN_TYPE = "urn:servitor:params:oauth:token-type:service-account-id";
    /** The type of the actor token of an impersonation: the admin's API key or access token. */
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    /** RFC 7523 section 2.1: a JWT as the grant (workload identity federation). */
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** Subject token types of a federated token exchange: the workload's identity token. */
    static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    static final String ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
    /** This grant's {@link #type} once parsed: a workload's token for a service account, by either grant. */
    static final String FEDERATED = "federated";

    static TokenGrant parse(OAuthForm form, String authorization) {
        String type = form.optional("grant_type");
        if (type == null) throw new OAuthException(OAuthException.INVALID_REQUEST, "Missing grant_type parameter");
        TokenService.Requested requested = new TokenService.Requested(form.optional("audience"), form.optional("resource"),
            form.optional("scope"));
        if (CLIENT_CREDENTIALS.equals(type)) return new TokenGrant(type, form, authorization, null, null, requested);
        if (JWT_BEARER.equals(type)) return federated(form, authorization, form.optional("assertion"), "assertion", requested);
        if (!TOKEN_EXCHANGE.equals(type)) {
            throw new OAuthException(OAuthException.UNSUPPORTED_GRANT_TYPE, "Supported: client_credentials, token exchange and jwt-bearer");
        }
        String subjectType = form.optional("subject_token_type");
        if (JWT_TOKEN_TYPE.equals(subjectType) || ID_TOKEN_TYPE.equals(subjectType)) {
            if (form.optional("actor_token") != null || form.optional("actor_token_type") != null) {
                throw new OAuthException(OAuthException.INVALID_REQUEST, "A workload's token is exchanged without an actor_token");
            }
            return federated(form, authorization, form.optional("subject_token"), "subject_token", requested);
        }
        return new TokenGrant(type, form, authorization, subjectToken(form), actorToken(form), requested);
    }

    /**
     * Workload identity federation: the workload's JWT and the service account's id as
     * {@code client_id}, and no client secret (the JWT is the proof).
     */
    private static TokenGrant federated(OAuthForm form, String authorization, String token, String parameter,
                                        TokenService.Requested requested) {
        if (token == null || token.isEmpty()) throw new OAuthException(OAuthException.INVALID_REQUEST, "Missing " + parameter + " parameter");
        if (form.optional("client_id") == null) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, "A workload's token is exchanged with client_id, the service account's id");
        }
        if (form.optional("client_secret") != null || form.optional("client_assertion") != null || OAuthForm.isBasic(authorization)) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, "A workload's token is exchanged without a client secret");
        }
        return new TokenGrant(FEDERATED, form, authorization, token, null, requested);
    }

    boolean isFederated() {
        return FEDERATED.equals(type);
    }

    boolean isClientCredentials() {
        return CLIENT_CREDENTIALS.equals(type);
    }

    private static String subjectToken(OAuthForm form) {
        String token = form.optional("subject_token");
        if (token == null || !SERVICE_ACCOUNT_TOKEN_TYPE.equals(form.optional("subject_token_type"))) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, "Impersonation needs subject_token_type "
                + SERVICE_ACCOUNT_TOKEN_TYPE + " (the service account's client id) and a subject_token");
        }
        return token;
    }

    /**
     * RFC 8693 section 2.1: {@code actor_token_type} comes with an {@code actor_token} and only
     * with one. The one type taken is an access token: a Servitor API key or access token.
     */
    private static String actorToken(OAuthForm form) {
        String token = form.optional("actor_token");
        String type = form.optional("actor_token_type");
        if (token == null) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, type != null ? "actor_token_type is given without an actor_token"
                : "Impersonation needs an actor_token (your credential)");
        }
        if (!ACCESS_TOKEN_TYPE.equals(type)) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, "The actor_token_type must be " + ACCESS_TOKEN_TYPE);
        }
        return token;
    }
}
