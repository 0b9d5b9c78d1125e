// SPDX-License-Identifier: Apache-2.0
package dev.servitor.caller;

public enum CredentialKind {
    API_KEY("api_key"), ACCESS_TOKEN("access_token"), SESSION("session"), CLIENT_SECRET("client_secret"),
    /** A private_key_jwt client assertion (RFC 7523), signed with a key whose public half the account holds. */
    PRIVATE_KEY_JWT("private_key_jwt");

    private final String wire;

    CredentialKind(String wire) { this.wire = wire; }

    public String wire() { return wire; }
}
