// SPDX-License-Identifier: Apache-2.0
package dev.servitor.oauthclient;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.servitor.audit.AuditLog;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.ServiceException;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.crypto.SecretHash;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Client secrets (Firebolt's "service account key"): generating a new one replaces the
 * previous at once, or after a grace period; only its SHA-256 is stored.
 */
public final class ClientSecretService {
    public static final long MAX_GRACE_SECONDS = 30L * 86400;
    private final Store store;
    private final AuditLog audit;
    private final Authorizer authz;
    private final CacheInvalidation cache;
    private final Clock clock;
    private final String prefix;
    /** Whether a secret (by id) is live now, from the credential checker's cache that every replacement evicts. */
    private final Predicate<String> isLive;
    private final Cache<String, Optional<Authenticated>> byHash =
        Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10)).build();

    public ClientSecretService(Store store, AuditLog audit, Authorizer authz, CacheInvalidation cache, Predicate<String> isLive, Clock clock,
                               String prefix) {
        this.isLive = isLive;
        this.store = store;
        this.audit = audit;
        this.authz = authz;
        this.cache = cache;
        this.clock = clock;
        this.prefix = prefix;
    }

    /** A client that proved it holds a live secret: the account and which secret it used. */
    public record Authenticated(String serviceAccountId, String secretId) {}

    public GeneratedSecret generate(Caller caller, String serviceAccountName, Long graceSeconds) {
        authz.requireOrgAdmin(caller, "secret.generate", "service_account:" + serviceAccountName);
        authz.requireNotImpersonating(caller, "secret.generate", "service_account:" + serviceAccountName);
        long grace = graceSeconds == null ? 0 : graceSeconds;
        if (grace < 0 || grace > MAX_GRACE_SECONDS) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "grace_seconds",
                "'grace_seconds' must be between 0 and " + MAX_GRACE_SECONDS);
        }
        record Result(GeneratedSecret secret, List<String> replaced) {}
        Result r = store.write(tx -> {
            Instant now = clock.instant();
            ServiceAccount sa = tx.table(ServiceAccountStore.class).findByName(caller.orgId(), serviceAccountName, now)
                .filter(found -> tx.table(ServiceAccountStore.class).lock(found.id())) // racing replacements run one after another
                .orElseThrow(() -> new ServiceException(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND,
                    "No service account named '" + serviceAccountName + "'"));
            List<String> replaced = tx.table(ClientSecretStore.class).revokeAllOf(sa.id(), now.plusSeconds(grace));
            String secret = SecretFormat.generate(prefix);
            ClientSecret row = new ClientSecret(Ids.newId("cs"), sa.orgId(), sa.id(), SecretFormat.displayPrefix(secret), now,
                null, caller.auditActor());
            tx.table(ClientSecretStore.class).insert(row, SecretHash.sha256Hex(secret));
            audit.append(tx, sa.orgId(), caller, "secret.generate", "service_account:" + sa.name(),
                Map.of("secret_id", row.id(), "grace_seconds", Long.toString(grace), "replaced", Integer.toString(replaced.size())));
            cache.secretsChanged(tx, replaced);
            return new Result(new GeneratedSecret(sa.id(), secret, row.id()), replaced);
        });
        byHash.invalidate(SecretHash.sha256Hex(r.secret().clientSecret())); // a miss may have been cached for it
        return r.secret();
    }

    /**
     * Checks a client id and secret. Empty whatever is wrong (malformed, unknown, another
     * account's, replaced), so the token endpoint can give one uniform answer.
     */
    public Optional<Authenticated> authenticate(String clientId, String clientSecret) {
        if (clientId == null || !SecretFormat.isWellFormed(clientSecret)) return Optional.empty();
        // which account and secret id a hash belongs to never changes, so it is cached; whether
        // the secret is still live comes from the verifier's cache, which every replacement evicts
        Optional<Authenticated> owner = byHash.get(SecretHash.sha256Hex(clientSecret), h -> store.read(tx ->
            tx.table(ClientSecretStore.class).findByHash(h).map(s -> new Authenticated(s.serviceAccountId(), s.id()))));
        return owner.filter(a -> SecretHash.matches(a.serviceAccountId(), clientId))
            .filter(a -> isLive.test(a.secretId()));
    }
}
