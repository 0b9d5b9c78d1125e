// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

/**
 * A {@code PATCH …/keys/{key_id}}: each part null is kept. {@code restrictions} is laid over the
 * key's (see {@link RestrictionsInput#over}); to clear them all, send every member as null.
 */
public record KeyUpdate(String name, String description, RestrictionsInput restrictions) {
    /** Clears every restriction. */
    public static RestrictionsInput clearAll() {
        return new RestrictionsInput(null, null, null, null, null);
    }
}
