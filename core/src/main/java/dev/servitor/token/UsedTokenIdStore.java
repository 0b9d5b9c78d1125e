// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

import java.time.Instant;

/**
 * Rows of {@code used_token_ids}: the {@code jti} of a presented token that may be accepted once,
 * whatever the number of nodes. Call {@link #claim} in the transaction that accepts the token.
 */
public interface UsedTokenIdStore {
    /** Records ({@code issuer}, {@code jti}) as used; false if it already was (by this or another node). */
    boolean claim(String issuer, String jti, Instant expiresAt, Instant now);

    /** Forgets ids of tokens that expired before {@code now}. */
    int deleteExpired(Instant now);
}
