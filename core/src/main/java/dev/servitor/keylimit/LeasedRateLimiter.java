// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.servitor.apikey.KeyRestrictions.RateLimit;
import dev.servitor.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Rate limits shared by the nodes of one PostgreSQL store. The key's {@link SlotWindow} lives in
 * the store; a node leases a block of uses from the current slot with one compare-and-set (the
 * block counts as used at once, whether the node uses it or not) and admits from the block in
 * memory until it is spent or the slot ends. What a node did not use of a slot's block it gives
 * back with its next lease. So the store's window counts every admitted use, in the slot it was
 * admitted in, and no span of one period admits more than the limit, whatever the number of
 * nodes (docs/key-limits.md). A lease that finds the window full is remembered until the next
 * slot, so a key hammered past its limit costs the store one read per node and slot.
 * If the store cannot be reached, a use that needs a lease fails with the store's error (503):
 * no use is admitted that the store has not counted.
 */
final class LeasedRateLimiter implements RateLimiter {
    static final int MAX_ATTEMPTS = 100;

    private final Store store;
    private final Cache<String, Lease> leases = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).build();

    LeasedRateLimiter(Store store) {
        this.store = store;
    }

    /** A node's block of uses for one key and slot. Guarded by its own lock. */
    private static final class Lease {
        int periodSeconds;
        long slot = Long.MIN_VALUE;
        long left;
        /** Refused by the store in this slot, until this instant (millis) at the earliest. */
        long refusedSlot = Long.MIN_VALUE;
        long retryAtMillis;
    }

    /**
     * How many uses a lease asks for: a twentieth of the limit (at least one), so a hot key costs
     * the store about one write per twentieth of its limit, and what a node holds unused (and
     * other nodes cannot have until it is given back) is at most that.
     */
    static long blockSize(RateLimit limit) {
        return Math.max(1, limit.limit() / (2L * SlotWindow.SLOTS_PER_PERIOD));
    }

    @Override
    public long acquire(String keyId, RateLimit limit, Instant now) {
        long nowMillis = now.toEpochMilli();
        long slot = SlotWindow.slotAt(limit.periodSeconds(), nowMillis);
        Lease lease = leases.get(keyId, k -> new Lease());
        synchronized (lease) {
            boolean samePeriod = lease.periodSeconds == limit.periodSeconds();
            if (samePeriod && lease.slot == slot && lease.left > 0) {
                lease.left--;
                return 0;
            }
            if (samePeriod && lease.refusedSlot == slot) return SlotWindow.secondsUntil(lease.retryAtMillis, nowMillis);
            long giveBack = samePeriod && lease.slot != slot ? lease.left : 0;
            Granted g = lease(keyId, limit, slot, lease.slot, giveBack);
            lease.periodSeconds = limit.periodSeconds();
            lease.slot = slot;
            if (g.uses() > 0) {
                lease.left = g.uses() - 1;
                return 0;
            }
            lease.left = 0;
            lease.refusedSlot = slot;
            lease.retryAtMillis = g.freesAtMillis();
            return SlotWindow.secondsUntil(g.freesAtMillis(), nowMillis);
        }
    }

    @Override
    public void release(String keyId, RateLimit limit, Instant now) {
        Lease lease = leases.getIfPresent(keyId);
        if (lease == null) return;
        synchronized (lease) {
            // a use of an earlier slot stays counted: giving it back would cost a write for one use
            if (lease.slot == SlotWindow.slotAt(limit.periodSeconds(), now.toEpochMilli())) lease.left++;
        }
    }

    /** Uses granted, or (none granted) when the window frees up. */
    private record Granted(long uses, long freesAtMillis) {}

    private Granted lease(String keyId, RateLimit limit, long slot, long leftoverSlot, long leftover) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Granted> g = store.write(tx -> {
                KeyRateWindowStore windows = tx.table(KeyRateWindowStore.class);
                Optional<KeyRateWindowStore.Stored> stored = windows.find(keyId);
                SlotWindow w = stored.map(KeyRateWindowStore.Stored::window)
                    .filter(s -> s.periodSeconds() == limit.periodSeconds())
                    .orElseGet(() -> SlotWindow.empty(limit.periodSeconds(), slot));
                w.advanceTo(slot);
                if (leftover > 0) w.giveBack(leftoverSlot, leftover);
                long granted = w.take(limit.limit(), blockSize(limit));
                if (granted == 0 && leftover == 0) {
                    return Optional.of(new Granted(0, w.freesAtMillis(limit.limit()))); // nothing to write
                }
                boolean written = stored.isPresent() ? windows.replace(keyId, stored.get().version(), w) : windows.insert(keyId, w);
                if (!written) return Optional.<Granted>empty();
                return Optional.of(new Granted(granted, granted > 0 ? 0 : w.freesAtMillis(limit.limit())));
            });
            if (g.isPresent()) return g.get();
        }
        throw new IllegalStateException("rate window of key " + keyId + " changed under " + MAX_ATTEMPTS + " attempts in a row");
    }
}
