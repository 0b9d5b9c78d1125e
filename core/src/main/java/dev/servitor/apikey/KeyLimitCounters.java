// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

import dev.servitor.store.Tx;
import java.time.Instant;

/**
 * The counters behind a key's {@code rate_limit} and {@code remaining_uses} (kept by
 * {@code dev.servitor.keylimit}, which sits beside this package and may not be called from it),
 * told in the transaction of each change that concerns them.
 */
public interface KeyLimitCounters {
    /** A PATCH sent the key's {@code remaining_uses} (a number, or null to clear it): its uses are granted afresh from it. */
    void restrictionsSet(Tx tx, ApiKey key, Instant now);

    /** {@code successor} replaces {@code old}: it takes over the uses {@code old} had left. */
    void rotated(Tx tx, ApiKey old, ApiKey successor, Instant now);

    KeyLimitCounters NONE = new KeyLimitCounters() {
        @Override
        public void restrictionsSet(Tx tx, ApiKey key, Instant now) {}

        @Override
        public void rotated(Tx tx, ApiKey old, ApiKey successor, Instant now) {}
    };
}
