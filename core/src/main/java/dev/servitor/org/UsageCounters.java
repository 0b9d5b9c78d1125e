// SPDX-License-Identifier: Apache-2.0
package dev.servitor.org;

import dev.servitor.directory.OrgStore;
import dev.servitor.store.Store;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-organization monthly counters of high-rate events (token grants, verifications), kept in
 * memory and added to the store in one batch per flush, so the hot paths never wait on it.
 */
public final class UsageCounters {
    public static final String TOKEN_GRANTS = "token_grants";
    public static final String VERIFICATIONS = "verifications";

    private record Key(String orgId, String month, String metric) {}

    private final Store store;
    private final Clock clock;
    private final Map<Key, LongAdder> pending = new ConcurrentHashMap<>();

    public UsageCounters(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void count(String orgId, String metric) {
        if (orgId == null) return;
        pending.computeIfAbsent(new Key(orgId, month(), metric), k -> new LongAdder()).increment();
    }

    public String month() {
        return YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)).toString();
    }

    /** The stored count plus what is still pending on this node. */
    public long current(String orgId, String metric) {
        String month = month();
        LongAdder local = pending.get(new Key(orgId, month, metric));
        return store.read(tx -> tx.table(OrgStore.class).usage(orgId, month, metric)) + (local == null ? 0 : local.sum());
    }

    public synchronized void flush() {
        if (pending.isEmpty()) return;
        Map<Key, Long> batch = new java.util.HashMap<>();
        for (Key k : pending.keySet()) {
            LongAdder a = pending.remove(k);
            if (a != null && a.sum() > 0) batch.put(k, a.sum());
        }
        if (batch.isEmpty()) return;
        store.write(tx -> {
            batch.forEach((k, v) -> tx.table(OrgStore.class).addUsage(k.orgId(), k.month(), k.metric(), v));
            return null;
        });
    }
}
