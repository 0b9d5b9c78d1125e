// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import dev.servitor.store.Tx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each organization's enabled webhook endpoints, kept in memory so that an audited change can tell
 * whether to wake the delivery worker without reading the endpoints table. Every change of an
 * endpoint (create, update, delete, disable: all audited as {@code webhook.*}) evicts the
 * organization's entry on this node after its commit and on the other nodes through the change bus
 * ({@code wh:<org id>}). A stale entry costs only a wake-up, never an event: which endpoints get an
 * event is read from the store when the worker relays it (docs/operations.md). Like the other
 * caches, no entry is older than {@link #TTL}.
 */
public final class WebhookSubscribers {
    /** The payload prefix on the change bus. */
    public static final String BUS_KIND = "wh";
    private static final int MAX_ORGS = 10_000;
    static final Duration TTL = Duration.ofSeconds(60);

    private record Entry(List<WebhookEndpoint> endpoints, long loadedAt) {}

    private final Map<String, Entry> byOrg = new ConcurrentHashMap<>();
    /** Counts evictions, so that a list read before one is never cached after it. */
    private final AtomicLong evictions = new AtomicLong();
    private volatile boolean blind;

    /** The organization's enabled endpoints that subscribe to {@code type}. */
    public List<WebhookEndpoint> of(Tx tx, String orgId, String type) {
        Entry cached = byOrg.get(orgId);
        long now = System.nanoTime();
        List<WebhookEndpoint> all;
        if (cached != null && now - cached.loadedAt() < TTL.toNanos()) {
            all = cached.endpoints();
        } else {
            long before = evictions.get();
            all = tx.table(WebhookStore.class).subscribers(orgId);
            if (!blind && evictions.get() == before) {
                if (byOrg.size() >= MAX_ORGS) byOrg.clear();
                Entry loaded = new Entry(all, now);
                byOrg.compute(orgId, (id, old) -> evictions.get() != before ? old : loaded);
            }
        }
        return all.stream().filter(e -> e.wants(type)).toList();
    }

    /** Called inside a transaction that changes one of the organization's endpoints. */
    public void changed(Tx tx, String orgId) {
        tx.afterCommit(() -> evict(orgId));
        tx.announce(BUS_KIND + ":" + orgId);
    }

    /** Forgets the organization's endpoints (after a change on this node or a word from another). */
    public void evict(String orgId) {
        evictions.incrementAndGet();
        byOrg.remove(orgId);
    }

    /** While the change bus is away (true), nothing is cached: changes on other nodes would go unheard. */
    public void setBlind(boolean blind) {
        this.blind = blind;
        evictions.incrementAndGet();
        byOrg.clear();
    }
}
