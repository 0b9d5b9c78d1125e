// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

/** A freshly minted key with its secret: the only moment the secret exists outside the caller. */
public record CreatedKey(ApiKey key, String secret) {
    @Override
    public String toString() {
        return "CreatedKey[" + key.id() + "]"; // never print the secret
    }
}
