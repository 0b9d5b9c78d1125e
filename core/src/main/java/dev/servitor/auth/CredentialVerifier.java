// SPDX-License-Identifier: Apache-2.0
package dev.servitor.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.servitor.account.ServiceAccount;
import dev.servitor.apikey.ApiKey;
import dev.servitor.apikey.OwnerKind;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.crypto.SecretHash;
import dev.servitor.org.Organization;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import dev.servitor.user.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * The hot path: is this presented credential good, and whose is it? Format and checksum first
 * (a typo costs no I/O), then SHA-256, then two caches (key by hash, principal by id), then the
 * state checks. A cache entry lives at most {@link #CACHE_TTL}; every change evicts it at once
 * through {@link CacheInvalidation}.
 */
public final class CredentialVerifier implements CacheInvalidation {
    static final Duration CACHE_TTL = Duration.ofSeconds(60);

    private final Store store;
    private final Clock clock;
    private final String emailDomain;
    private final LastUsedRecorder lastUsed;
    private final Cache<String, Optional<ApiKey>> keysByHash;
    private final Cache<String, Optional<Holder>> principals;

    private record Holder(Principal principal, Set<String> permissions) {}

    public CredentialVerifier(Store store, Clock clock, String emailDomain, LastUsedRecorder lastUsed) {
        this.store = store;
        this.clock = clock;
        this.emailDomain = emailDomain;
        this.lastUsed = lastUsed;
        this.keysByHash = Caffeine.newBuilder().maximumSize(1_000_000).expireAfterWrite(CACHE_TTL).build();
        this.principals = Caffeine.newBuilder().maximumSize(1_000_000).expireAfterWrite(CACHE_TTL).build();
    }

    /** Checks an API key; {@code ip} is the client address recorded as last use. */
    public Verification verify(String presented, String ip) {
        if (!SecretFormat.isWellFormed(presented)) return Verification.NOT_FOUND;
        String hash = SecretHash.sha256Hex(presented);
        Optional<ApiKey> found = keysByHash.get(hash, h -> store.read(tx -> tx.keys().findByHash(h)));
        if (found.isEmpty()) return Verification.NOT_FOUND;
        ApiKey key = found.get();
        Optional<Holder> owner = principals.get(key.ownerId(), id -> store.read(tx -> loadPrincipal(tx, key.ownerKind(), id)));
        if (owner.isEmpty()) {
            return new Verification(VerificationCode.REVOKED, null); // owner deleted: its keys were revoked with it
        }
        Holder holder = owner.get();
        Caller caller = new Caller(holder.principal(), null,
            new CredentialInfo(key.id(), CredentialKind.API_KEY, key.type().wire(), key.expiresAt()), holder.permissions(), ip);
        Instant now = clock.instant();
        if (key.isRevokedAt(now)) return new Verification(VerificationCode.REVOKED, caller);
        if (key.isExpiredAt(now)) return new Verification(VerificationCode.EXPIRED, caller);
        if (holder.principal().disabled()) return new Verification(VerificationCode.DISABLED, caller);
        lastUsed.record(key.id(), now, ip);
        return new Verification(VerificationCode.VALID, caller);
    }

    private Optional<Holder> loadPrincipal(Tx tx, OwnerKind kind, String id) {
        Optional<Principal> p = kind == OwnerKind.SERVICE_ACCOUNT
            ? tx.serviceAccounts().findById(id, clock.instant()).map(sa -> ofServiceAccount(tx, sa))
            : tx.users().findById(id).map(u -> ofUser(tx, u));
        return p.map(pr -> new Holder(pr, Permissions.of(pr)));
    }

    private Principal ofServiceAccount(Tx tx, ServiceAccount sa) {
        String orgName = tx.orgs().findById(sa.orgId()).map(Organization::name).orElse("");
        return new Principal(sa.id(), PrincipalType.SERVICE_ACCOUNT, sa.name(),
            ServiceAccount.email(sa.name(), orgName, emailDomain), sa.orgId(), orgName, sa.role(), sa.orgAdmin(),
            false, sa.disabled());
    }

    private Principal ofUser(Tx tx, User u) {
        String orgName = tx.orgs().findById(u.orgId()).map(Organization::name).orElse("");
        return new Principal(u.id(), PrincipalType.USER, u.username(), u.email(), u.orgId(), orgName, u.role(),
            u.orgAdmin(), u.operator(), u.disabled());
    }

    @Override
    public void keysChanged(Collection<String> secretHashes) {
        keysByHash.invalidateAll(secretHashes);
    }

    @Override
    public void principalChanged(String principalId) {
        principals.invalidate(principalId);
    }
}
