// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

/**
 * An RFC 6749 error of the token endpoint ({@code invalid_client}, {@code invalid_request},
 * {@code invalid_grant}, {@code invalid_scope}, {@code unsupported_grant_type}, ...). The
 * description is public and never says which part of a client authentication was wrong.
 */
public final class OAuthException extends RuntimeException {
    public static final String INVALID_CLIENT = "invalid_client";
    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String INVALID_SCOPE = "invalid_scope";
    public static final String INVALID_TARGET = "invalid_target";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";
    public static final String ACCESS_DENIED = "access_denied";

    private final String error;

    public OAuthException(String error, String description) {
        super(description, null, false, false);
        this.error = error;
    }

    public static OAuthException invalidClient() {
        return new OAuthException(INVALID_CLIENT, "Client authentication failed");
    }

    public String error() { return error; }
    public String description() { return getMessage(); }
}
