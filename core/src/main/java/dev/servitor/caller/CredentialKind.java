// SPDX-License-Identifier: Apache-2.0
package dev.servitor.caller;

public enum CredentialKind {
    API_KEY("api_key"), ACCESS_TOKEN("access_token"), SESSION("session"), CLIENT_SECRET("client_secret");

    private final String wire;

    CredentialKind(String wire) { this.wire = wire; }

    public String wire() { return wire; }
}
