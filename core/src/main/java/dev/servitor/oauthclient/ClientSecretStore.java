// SPDX-License-Identifier: Apache-2.0
package dev.servitor.oauthclient;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Rows of {@code client_secrets}. */
public interface ClientSecretStore {
    void insert(ClientSecret secret, String secretHash);
    Optional<ClientSecret> findByHash(String secretHash);
    Optional<ClientSecret> findById(String id);
    /** Sets revoked_at to {@code at} on the account's secrets that are live after {@code at}; returns their ids. */
    List<String> revokeAllOf(String serviceAccountId, Instant at);
}
