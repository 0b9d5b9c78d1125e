// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.token.OAuthException;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The form of an OAuth request ({@code /oauth/token}, RFC 7662 introspection, RFC 7009
 * revocation) and the client authentication it carries (RFC 6749 section 2.3.1: HTTP Basic, or
 * client_id and client_secret in the form), parsed here once for all three endpoints. A
 * parameter given twice or holding a NUL character, a form of another content type or two ways
 * of authenticating at once is {@code invalid_request}; a mangled Basic header, or a client
 * assertion of a type other than RFC 7523's JWT bearer, is {@code invalid_client}. A parameter sent without a
 * value is treated as omitted (RFC 6749 sections 3.1 and 3.2).
 */
final class OAuthForm {
    private static final String FORM_TYPE = "application/x-www-form-urlencoded";
    private static final String BASIC = "Basic";
    private final Map<String, String> params;

    private OAuthForm(Map<String, String> params) {
        this.params = params;
    }

    /** RFC 7523 section 2.2: the one {@code client_assertion_type} taken, a JWT signed with the client's private key. */
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /**
     * A client's id and secret, or its {@code private_key_jwt} assertion (then {@code secret} is
     * null and {@code id} the form's {@code client_id}, if any), as presented; nothing is checked yet.
     */
    record ClientCredentials(String id, String secret, String assertion) {
        ClientCredentials(String id, String secret) {
            this(id, secret, null);
        }

        boolean isAssertion() {
            return assertion != null;
        }
    }

    static OAuthForm read(Context ctx) {
        return of(ctx.contentType(), JsonBody.readBounded(ctx));
    }

    /** The form in {@code body}; a {@code contentType} other than a form is {@code invalid_request}. */
    static OAuthForm of(String type, byte[] body) {
        if (type == null || !type.regionMatches(true, 0, FORM_TYPE, 0, FORM_TYPE.length())
            || (type.length() > FORM_TYPE.length() && type.charAt(FORM_TYPE.length()) != ';')) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, "The Content-Type must be " + FORM_TYPE);
        }
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    static OAuthForm parse(String body) {
        Map<String, String> params = new HashMap<>(4);
        int start = 0;
        while (start <= body.length()) {
            int end = body.indexOf('&', start);
            if (end < 0) end = body.length();
            if (end > start) {
                int eq = body.indexOf('=', start);
                String name = decode(body.substring(start, eq < 0 || eq > end ? end : eq));
                String value = eq < 0 || eq > end ? "" : decode(body.substring(eq + 1, end));
                if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                    throw new OAuthException(OAuthException.INVALID_REQUEST, "The parameter '" + name + "' must not contain a NUL character");
                }
                if (params.putIfAbsent(name, value) != null) {
                    throw new OAuthException(OAuthException.INVALID_REQUEST, "The parameter '" + name + "' is given more than once");
                }
            }
            start = end + 1;
        }
        return new OAuthForm(params);
    }

    /** The parameter's value; missing or blank is {@code invalid_request} naming it. */
    String required(String name) {
        String v = params.get(name);
        if (v == null || v.isBlank()) throw new OAuthException(OAuthException.INVALID_REQUEST, "Missing " + name + " parameter");
        return v;
    }

    /** The parameter's value, or null when it is not given or given without a value. */
    String optional(String name) {
        String v = params.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /**
     * The client authentication of the request, from the Authorization header (Basic) or the
     * form; null when there is none. More than one way at once is {@code invalid_request} (RFC 6749
     * section 2.3): Basic with a {@code client_secret} or a client assertion in the form, a
     * {@code client_secret} with a client assertion, or Basic with a form {@code client_id} naming
     * another client. A client assertion alone is {@code private_key_jwt} (RFC 7523 section 2.2);
     * one of another {@code client_assertion_type}, or a type without an assertion, is
     * {@code invalid_client} (RFC 6749 section 5.2; RFC 7523 section 3.2).
     */
    ClientCredentials client(String authorization) {
        String formId = optional("client_id");
        String formSecret = optional("client_secret");
        boolean assertion = optional("client_assertion") != null || optional("client_assertion_type") != null;
        if (formSecret != null && assertion) throw twoWays();
        if (isBasic(authorization)) {
            if (formSecret != null || assertion) throw twoWays();
            ClientCredentials basic = basic(authorization.substring(BASIC.length()).trim());
            if (formId != null && !formId.equals(basic.id())) throw twoWays();
            return basic;
        }
        if (assertion) {
            String jwt = optional("client_assertion");
            if (!JWT_BEARER.equals(optional("client_assertion_type")) || jwt == null) throw OAuthException.invalidClient();
            return new ClientCredentials(formId, null, jwt);
        }
        if (formId != null && formSecret != null) return new ClientCredentials(formId, formSecret);
        return null;
    }

    /**
     * Whether {@code authorization} is of the Basic scheme: the scheme, case-insensitive, then one
     * or more spaces (RFC 9110 section 11.4: {@code auth-scheme 1*SP token68}) or nothing at all,
     * which is a mangled Basic header rather than another scheme.
     */
    static boolean isBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())
            && (authorization.length() == BASIC.length() || authorization.charAt(BASIC.length()) == ' ');
    }

    private static OAuthException twoWays() {
        return new OAuthException(OAuthException.INVALID_REQUEST,
            "Authenticate the client one way: HTTP Basic, client_id and client_secret in the form, or a client_assertion");
    }

    /** RFC 6749 section 2.3.1: id and secret are form-encoded, then joined by ':' and Base64-encoded. */
    private static ClientCredentials basic(String encoded) {
        String joined;
        try {
            joined = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient();
        }
        int colon = joined.indexOf(':');
        if (colon <= 0 || colon == joined.length() - 1) throw OAuthException.invalidClient();
        try {
            ClientCredentials c = new ClientCredentials(decode(joined.substring(0, colon)), decode(joined.substring(colon + 1)));
            if (c.id().indexOf('\0') >= 0 || c.secret().indexOf('\0') >= 0) throw OAuthException.invalidClient();
            return c;
        } catch (OAuthException e) {
            throw OAuthException.invalidClient();
        }
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, "The form is not valid application/x-www-form-urlencoded");
        }
    }
}
