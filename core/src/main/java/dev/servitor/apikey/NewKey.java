// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

/**
 * A request for a key. At most one of {@code ttlSeconds} and {@code expiresInDays}; neither
 * means the key never expires. {@code type} null means read_write. {@code typeField} and
 * {@code ttlField} are the names the caller used ({@code token_type}/{@code ttl} are
 * MotherDuck's aliases), so that an error names the field the caller sent. {@code restrictions}
 * null: none.
 */
public record NewKey(String name, String description, String type, Long ttlSeconds, Long expiresInDays,
                     String typeField, String ttlField, RestrictionsInput restrictions) {
    public NewKey(String name, String description, String type, Long ttlSeconds, Long expiresInDays) {
        this(name, description, type, ttlSeconds, expiresInDays, "type", "ttl_seconds", null);
    }

    public NewKey(String name, String description, String type, Long ttlSeconds, Long expiresInDays,
                  String typeField, String ttlField) {
        this(name, description, type, ttlSeconds, expiresInDays, typeField, ttlField, null);
    }
}
