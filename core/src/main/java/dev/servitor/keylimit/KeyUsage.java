// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import dev.servitor.apikey.ApiKey;
import dev.servitor.apikey.KeyRestrictions;
import dev.servitor.apikey.KeyRestrictions.RateLimit;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Instant;

/**
 * Admits one use of a key under its rate limit and usage credits, in that order: a use refused
 * by the rate limit spends no credit, and a use refused for lack of credits is not counted
 * against the rate limit either. Only what the caller asks to admit is counted, so it asks last,
 * once every other check (state, addresses, permissions) has passed.
 */
public final class KeyUsage {
    private final RateLimiter rates;
    private final KeyCredits credits;

    private KeyUsage(RateLimiter rates, KeyCredits credits) {
        this.rates = rates;
        this.credits = credits;
    }

    /**
     * {@code shared}: other nodes use the same store (PostgreSQL), so rate limits are leased from
     * it; otherwise they are counted exactly in this node's memory. Credits are always in the store.
     */
    public static KeyUsage of(Store store, boolean shared) {
        return new KeyUsage(shared ? new LeasedRateLimiter(store) : new LocalRateLimiter(), new KeyCredits(store));
    }

    /** Admits a use of {@code key} under {@code restrictions} (null or none: always admitted, nothing counted). */
    public Decision admit(ApiKey key, KeyRestrictions restrictions, Instant now) {
        if (restrictions == null) return Decision.UNLIMITED;
        RateLimit rate = restrictions.rateLimit();
        if (rate != null) {
            long wait = rates.acquire(key.id(), rate, now);
            if (wait > 0) return Decision.rateLimited(wait);
        }
        if (restrictions.remainingUses() == null) return Decision.UNLIMITED;
        long left;
        try {
            left = credits.spend(key.id(), key.createdAt(), restrictions, now);
        } catch (RuntimeException e) {
            if (rate != null) rates.release(key.id(), rate, now);
            throw e;
        }
        if (left == KeyCredits.EXCEEDED) {
            if (rate != null) rates.release(key.id(), rate, now);
            return Decision.usageExceeded();
        }
        return Decision.valid(left);
    }

    /** The uses {@code key} has left now (null when it has no credits), for key objects. */
    public Long remaining(ApiKey key, KeyRestrictions restrictions, Instant now) {
        if (restrictions == null || restrictions.remainingUses() == null) return null;
        return credits.remaining(key.id(), key.createdAt(), restrictions, now);
    }

    /**
     * Call in the transaction that creates a key or changes its restrictions: the key's credits
     * start again from its {@code remaining_uses} (its rate window is kept: a change of
     * restrictions does not let a burst through).
     */
    public static void restrictionsSet(Tx tx, ApiKey key, KeyRestrictions restrictions, Instant now) {
        KeyCredits.reset(tx, key.id(), key.createdAt(), restrictions, now);
    }
}
