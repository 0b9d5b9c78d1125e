// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** Rows of {@code key_credits}: the uses a key has left, shared by every node. */
public interface KeyCreditStore {
    /** A key's stored count and the refill period it belongs to. */
    record Credits(long remaining, long period) {}

    /**
     * Spends one use in one atomic statement: if the row's period is older than {@code period}
     * and {@code refillAmount} is not null, the count is first set back to {@code refillAmount}
     * (and the row moves to {@code period}). The remaining count after the spend; empty if there
     * was none left or there is no row.
     */
    OptionalLong spend(String keyId, long period, Long refillAmount, Instant now);

    Optional<Credits> find(String keyId);

    /** Creates the row unless one exists (another node may have just created it). */
    void createIfAbsent(String keyId, long remaining, long period, Instant now);

    /** Sets the row to {@code remaining} in {@code period}, creating it if needed. */
    void put(String keyId, long remaining, long period, Instant now);

    void delete(String keyId);
}
