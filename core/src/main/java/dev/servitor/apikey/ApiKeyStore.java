// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Rows of {@code api_keys}. Only SHA-256 hashes of secrets are ever written. */
public interface ApiKeyStore {
    void insert(ApiKey key, String secretHash);
    /** Writes the key's name, description and restrictions; returns its hash (empty if the row is gone). */
    Optional<String> update(ApiKey key);
    Optional<ApiKey> findByHash(String secretHash);
    Optional<ApiKey> findById(String ownerId, String keyId);

    /** The stored hash of a key of this owner, live or not (to announce its revocation again). */
    Optional<String> secretHash(String ownerId, String keyId);
    /** Keys that are neither revoked nor expired at {@code now}, oldest first. */
    List<ApiKey> listLive(String ownerId, Instant now);
    int countLive(String ownerId, Instant now);
    /** Sets revoked_at if it is unset or later than {@code at}; returns the hashes of the keys changed. */
    List<String> revoke(String keyId, Instant at);
    List<String> revokeAllOf(String ownerId, Instant at);
    /**
     * Sets revoked_at to {@code at} only if the key has none (neither revoked nor already in a
     * grace); returns its hash if this call changed it, empty if another change came first.
     */
    Optional<String> retire(String keyId, Instant at);
    void recordUse(Collection<LastUse> uses);

    record LastUse(String keyId, Instant at, String ip) {}
}
