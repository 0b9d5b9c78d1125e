// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.servitor.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * This node's copy of what an exchange reads from the store: every federated credential of a
 * service account, each with its issuer. Evicted through
 * {@link dev.servitor.store.CacheInvalidation#federationChanged} on every node when a credential
 * of the account, or any issuer, changes; while blind (the change channel lost) nothing is cached.
 */
public final class ExchangeCandidates {
    /** A safety net only (as for the other caches): every change evicts at once. */
    static final Duration TTL = Duration.ofSeconds(60);

    private final Store store;
    private final BooleanSupplier blind;
    private final Cache<String, List<FederatedCredentialStore.WithIssuer>> byAccount =
        Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(TTL).build();
    /** Bumped before every eviction: a load that began before one is not kept (it may hold the old rows). */
    private final AtomicLong evictions = new AtomicLong();

    public ExchangeCandidates(Store store, BooleanSupplier blind) {
        this.store = store;
        this.blind = blind;
    }

    /** The account's credentials whose issuer's URL is {@code issuerUrl}, each with its issuer, ordered by name. */
    public List<FederatedCredentialStore.WithIssuer> forIssuer(String serviceAccountId, String issuerUrl) {
        return all(serviceAccountId).stream().filter(c -> c.issuer().issuerUrl().equals(issuerUrl)).toList();
    }

    private List<FederatedCredentialStore.WithIssuer> all(String serviceAccountId) {
        if (blind.getAsBoolean()) return load(serviceAccountId);
        List<FederatedCredentialStore.WithIssuer> held = byAccount.getIfPresent(serviceAccountId);
        if (held != null) return held;
        long before = evictions.get();
        List<FederatedCredentialStore.WithIssuer> loaded = load(serviceAccountId);
        // kept only if no eviction began meanwhile; an eviction of this key waits for this compute, one of all keys follows the bump
        byAccount.asMap().compute(serviceAccountId, (id, cur) -> cur != null || evictions.get() != before || blind.getAsBoolean() ? cur : loaded);
        return loaded;
    }

    private List<FederatedCredentialStore.WithIssuer> load(String serviceAccountId) {
        return List.copyOf(store.read(tx -> tx.table(FederatedCredentialStore.class).listWithIssuers(serviceAccountId)));
    }

    /** Evicts one account's credentials. */
    public void accountChanged(String serviceAccountId) {
        evictions.incrementAndGet();
        byAccount.invalidate(serviceAccountId);
    }

    /** Evicts everything (an issuer changed, the channel was lost or came back). */
    public void dropAll() {
        evictions.incrementAndGet();
        byAccount.invalidateAll();
    }
}
