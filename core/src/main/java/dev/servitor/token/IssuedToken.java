// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

/** An access token as /oauth/token answers it. */
public record IssuedToken(String accessToken, long expiresIn, String scope) {
    @Override
    public String toString() {
        return "IssuedToken[expires_in=" + expiresIn + "]"; // never print the token
    }
}
