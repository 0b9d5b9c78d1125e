// SPDX-License-Identifier: Apache-2.0
package dev.servitor.oauthclient;

/** A new client secret, returned once. */
public record GeneratedSecret(String clientId, String clientSecret, String secretId) {
    @Override
    public String toString() {
        return "GeneratedSecret[" + clientId + "]"; // never print the secret
    }
}
