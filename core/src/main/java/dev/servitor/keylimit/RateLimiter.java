// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import dev.servitor.apikey.KeyRestrictions.RateLimit;
import java.time.Instant;

/** Admits uses of rate-limited keys on this node. */
interface RateLimiter {
    /** Counts one use of the key now: 0 if admitted, otherwise the seconds (at least 1) until a use may be admitted again. */
    long acquire(String keyId, RateLimit limit, Instant now);

    /** Uncounts a use {@link #acquire} admitted at {@code now} that was then refused for another reason. */
    void release(String keyId, RateLimit limit, Instant now);
}
