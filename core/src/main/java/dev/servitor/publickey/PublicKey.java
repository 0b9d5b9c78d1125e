// SPDX-License-Identifier: Apache-2.0
package dev.servitor.publickey;

import java.time.Instant;

/**
 * A service account's public key: {@code publicJwk} holds the public members only (a JSON
 * object), {@code alg} the algorithm it is announced for ({@code ES256} or {@code RS256}).
 */
public record PublicKey(String serviceAccountId, String kid, String orgId, String kty, String alg, String publicJwk,
                        Instant createdAt, String createdBy, Instant lastUsedAt) {}
