// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.servitor.apikey.KeyRestrictions.RateLimit;
import java.time.Instant;

/**
 * Exact rate limits in this node's memory, for a store that has no other node (SQLite): every
 * use is counted in the key's {@link SlotWindow} under its lock. A window is forgotten once it
 * has been idle for longer than it counts, when it would be empty anyway.
 */
final class LocalRateLimiter implements RateLimiter {
    private final Cache<String, SlotWindow> windows = Caffeine.newBuilder().expireAfter(new Expiry<String, SlotWindow>() {
        @Override
        public long expireAfterCreate(String key, SlotWindow w, long currentTime) {
            return idleNanos(w);
        }

        @Override
        public long expireAfterUpdate(String key, SlotWindow w, long currentTime, long currentDuration) {
            return idleNanos(w);
        }

        @Override
        public long expireAfterRead(String key, SlotWindow w, long currentTime, long currentDuration) {
            return idleNanos(w);
        }
    }).build();

    private static long idleNanos(SlotWindow w) {
        return (SlotWindow.SLOTS + 1) * SlotWindow.slotMillis(w.periodSeconds()) * 1_000_000L;
    }

    @Override
    public long acquire(String keyId, RateLimit limit, Instant now) {
        long nowMillis = now.toEpochMilli();
        long slot = SlotWindow.slotAt(limit.periodSeconds(), nowMillis);
        SlotWindow w = window(keyId, limit, slot);
        synchronized (w) {
            w.advanceTo(slot);
            return w.take(limit.limit(), 1) == 1 ? 0 : w.retryAfterSeconds(limit.limit(), nowMillis);
        }
    }

    @Override
    public void release(String keyId, RateLimit limit, Instant now) {
        SlotWindow w = windows.getIfPresent(keyId);
        if (w == null) return;
        synchronized (w) {
            w.giveBack(SlotWindow.slotAt(limit.periodSeconds(), now.toEpochMilli()), 1);
        }
    }

    private SlotWindow window(String keyId, RateLimit limit, long slot) {
        SlotWindow w = windows.get(keyId, k -> SlotWindow.empty(limit.periodSeconds(), slot));
        if (w.periodSeconds() == limit.periodSeconds()) return w;
        // the period was changed: the old counts were of other slots
        return windows.asMap().compute(keyId, (k, old) -> old != null && old.periodSeconds() == limit.periodSeconds()
            ? old : SlotWindow.empty(limit.periodSeconds(), slot));
    }
}
