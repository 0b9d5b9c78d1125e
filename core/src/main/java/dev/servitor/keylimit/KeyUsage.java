// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import dev.servitor.apikey.ApiKey;
import dev.servitor.apikey.KeyLimitCounters;
import dev.servitor.apikey.KeyRestrictions;
import dev.servitor.apikey.KeyRestrictions.RateLimit;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Instant;

/**
 * Admits one use of a key under its rate limit and usage credits, in that order: a use refused
 * by the rate limit spends no credit, and a use refused for lack of credits is not counted
 * against the rate limit either. Only what the caller asks to admit is counted, so it asks last,
 * once every other check (state, addresses, permissions) has passed.
 */
public final class KeyUsage implements KeyLimitCounters {
    private final RateLimiter rates;
    private final KeyCredits credits;
    private final Clock clock;

    private KeyUsage(RateLimiter rates, KeyCredits credits, Clock clock) {
        this.rates = rates;
        this.credits = credits;
        this.clock = clock;
    }

    /**
     * {@code shared}: other nodes use the same store (PostgreSQL), so rate limits are leased from
     * it; otherwise they are counted exactly in this node's memory. Credits are always in the store.
     */
    public static KeyUsage of(Store store, boolean shared, Clock clock) {
        return new KeyUsage(shared ? new LeasedRateLimiter(store) : new LocalRateLimiter(), new KeyCredits(store), clock);
    }

    /** Admits a use of {@code key} under its restrictions. */
    public Decision admit(ApiKey key, Instant now) {
        return admit(key, key.restrictions(), now);
    }

    /** Admits a use of {@code key} under {@code restrictions} (null or none: always admitted, nothing counted). */
    public Decision admit(ApiKey key, KeyRestrictions restrictions, Instant now) {
        if (restrictions == null || restrictions.rateLimit() == null && restrictions.remainingUses() == null) return Decision.UNLIMITED;
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
    public Long remaining(ApiKey key) {
        return remaining(key, key.restrictions(), clock.instant());
    }

    public Long remaining(ApiKey key, KeyRestrictions restrictions, Instant now) {
        if (restrictions == null || restrictions.remainingUses() == null) return null;
        return credits.remaining(key.id(), key.createdAt(), restrictions, now);
    }

    /**
     * The key's credits start again from its {@code remaining_uses} (its rate window is kept: a
     * change of restrictions does not let a burst through).
     */
    @Override
    public void restrictionsSet(Tx tx, ApiKey key, Instant now) {
        KeyCredits.reset(tx, key.id(), key.createdAt(), key.restrictions(), now);
    }

    @Override
    public void rotated(Tx tx, ApiKey old, ApiKey successor, Instant now) {
        KeyCredits.carryOver(tx, old.id(), old.createdAt(), successor.id(), successor.createdAt(), successor.restrictions(), now);
    }
}
