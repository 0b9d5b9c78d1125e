// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authn;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.servitor.apikey.ApiKey;
import dev.servitor.apikey.ApiKeyStore;
import dev.servitor.apikey.KeyRestrictions;
import dev.servitor.authn.PrincipalLoader.Holder;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.caller.CredentialInfo;
import dev.servitor.caller.CredentialKind;
import dev.servitor.caller.Permissions;
import dev.servitor.caller.Principal;
import dev.servitor.caller.PrincipalType;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.crypto.SecretHash;
import dev.servitor.keylimit.Decision;
import dev.servitor.keylimit.KeyUsage;
import dev.servitor.network.IpRules;
import dev.servitor.network.NetworkPolicyEvaluator;
import inet.ipaddr.IPAddress;
import dev.servitor.oauthclient.ClientSecret;
import dev.servitor.oauthclient.ClientSecretStore;
import dev.servitor.federation.ExchangeCandidates;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import dev.servitor.token.AccessTokens;
import dev.servitor.token.RevokedTokenStore;
import dev.servitor.user.Session;
import dev.servitor.user.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The hot path: is this presented credential good, and whose is it? For an API key: format and
 * checksum first (a typo costs no I/O), then SHA-256, then the caches, then the state checks.
 * For an access token: the signature is checked once per token (cached by the token's hash),
 * and every use re-checks live state: expiry, revoked jti, replaced client secret, disabled or
 * deleted account, and under impersonation the acting admin. Who a credential stands for is
 * read by the {@link PrincipalLoader} and cached here with the rest. Cache entries live at most
 * {@link #CACHE_TTL}; every change evicts them at once through {@link CacheInvalidation}
 * (which calls the eviction methods below after the change commits).
 */
public final class CredentialVerifier {
    static final Duration CACHE_TTL = Duration.ofSeconds(60);
    static final int MAX_REMEMBERED_MISSES = 100_000;

    private final Store store;
    private final Clock clock;
    private final PrincipalLoader principalLoader;
    private final LastUsedRecorder lastUsed;
    private final AccessTokens tokens;
    private final Cache<String, LoadedKey> keysByHash;
    /** Hashes of well-formed keys that matched nothing, kept apart so a flood of them cannot evict real keys. */
    private final Cache<String, Boolean> keyMisses;
    private final Cache<String, Optional<Holder>> principals;
    private final Cache<String, Optional<AccessTokens.Claims>> tokensByHash;
    private final Cache<String, Boolean> revokedJtis;
    private final Cache<String, Optional<ClientSecret>> secrets;
    private final NetworkPolicyEvaluator network;
    private final Authorizer authz;
    private final KeyUsage usage;

    /** Counts principal evictions, so that a principal loaded before one is never cached after it. */
    private final AtomicLong principalEvictions = new AtomicLong();

    /** True while this node cannot hear other nodes' changes: every check then reads the store. */
    private volatile boolean blind;
    private final ExchangeCandidates exchangeCandidates;

    public CredentialVerifier(Store store, Clock clock, PrincipalLoader loader, LastUsedRecorder lastUsed, AccessTokens tokens,
                              Authorizer authz, KeyUsage usage) {
        this.usage = usage;
        this.store = store;
        this.authz = authz;
        this.clock = clock;
        this.principalLoader = loader;
        this.lastUsed = lastUsed;
        this.tokens = tokens;
        this.keysByHash = cache();
        this.keyMisses = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED_MISSES).expireAfterWrite(CACHE_TTL).build();
        this.principals = cache();
        this.tokensByHash = cache();
        this.revokedJtis = cache();
        this.secrets = cache();
        this.network = new NetworkPolicyEvaluator(store, () -> blind);
        this.exchangeCandidates = new ExchangeCandidates(store, () -> blind);
    }

    private static <K, V> Cache<K, V> cache() {
        return Caffeine.newBuilder().maximumSize(1_000_000).expireAfterWrite(CACHE_TTL).build();
    }

    /**
     * Checks an API key or an access token for whatever API it was minted for, as {@code /v1/verify}
     * and introspection do for the platform; {@code ip} is the client address recorded as last use.
     */
    public Verification verify(String presented, String ip) {
        return verify(presented, ip, false, null);
    }

    /**
     * A refusal decided by the one who asks, before a key's use is counted: a use it refuses
     * spends neither rate limit nor credit. Null lets the credential through.
     */
    @FunctionalInterface
    public interface UseCheck {
        /** The code to answer instead of counting the use (NOT_FOUND answers {@link Verification#NOT_FOUND}), or null. */
        VerificationCode refusal(Caller caller);
    }

    /** {@link #verify(String, String)} with {@code check} applied to an API key before its use is counted. */
    public Verification verify(String presented, String ip, UseCheck check) {
        return verify(presented, ip, false, check);
    }

    /**
     * {@link #verify} for a credential presented to Servitor's own API ({@code /v1}, the actor of
     * a token exchange): an access token must be meant for it ({@code aud} the issuer or an
     * accepted audience), so a service that received a token for itself cannot replay it here.
     */
    public Verification authenticate(String presented, String ip) {
        return verify(presented, ip, true, null);
    }

    private Verification verify(String presented, String ip, boolean forThisApiOnly, UseCheck check) {
        if (AccessTokens.looksLikeJwt(presented)) return verifyToken(presented, ip, forThisApiOnly).verification();
        if (!SecretFormat.isWellFormed(presented)) return Verification.NOT_FOUND;
        String hash = SecretHash.sha256Hex(presented);
        Optional<LoadedKey> found = findKey(hash);
        if (found.isEmpty()) return Verification.NOT_FOUND;
        LoadedKey loaded = found.get();
        ApiKey key = loaded.key();
        KeyRestrictions restrictions = key.restrictions().isNone() ? null : key.restrictions();
        Optional<Holder> owner = holder(key.ownerId());
        if (owner.isEmpty()) {
            return new Verification(VerificationCode.REVOKED, null); // owner deleted: its keys were revoked with it
        }
        Holder holder = owner.get();
        // the key's permissions narrow its owner's as they are now: a role change narrows the key at the next request
        Caller caller = new Caller(holder.principal(), null,
            new CredentialInfo(key.id(), CredentialKind.API_KEY, key.type().wire(), key.expiresAt(), null, restrictions != null),
            loaded.permissionsFor(holder.permissions()), ip);
        Instant now = clock.instant();
        if (key.isRevokedAt(now)) return new Verification(VerificationCode.REVOKED, caller, restrictions);
        if (key.isExpiredAt(now)) return new Verification(VerificationCode.EXPIRED, caller, restrictions);
        if (holder.principal().disabled()) return new Verification(VerificationCode.DISABLED, caller, restrictions);
        if (networkPolicyMissing(holder.principal())) {
            return new Verification(VerificationCode.NETWORK_POLICY_REQUIRED, caller, restrictions);
        }
        if (!addressAllowed(holder.principal(), ip) || !loaded.addressAllowed(ip)) {
            return new Verification(VerificationCode.IP_NOT_ALLOWED, caller, restrictions);
        }
        if (check != null) {
            VerificationCode refused = check.refusal(caller);
            if (refused == VerificationCode.NOT_FOUND) return Verification.NOT_FOUND;
            if (refused != null) return new Verification(refused, caller, restrictions);
        }
        // the last check, so that only a use every other check let through is counted (docs/key-limits.md)
        Decision use = usage.admit(key, restrictions, now);
        switch (use.outcome()) {
            case RATE_LIMITED -> {
                return new Verification(VerificationCode.RATE_LIMITED, caller, restrictions, use.retryAfterSeconds(), null);
            }
            case USAGE_EXCEEDED -> {
                return new Verification(VerificationCode.USAGE_EXCEEDED, caller, restrictions, null, 0L);
            }
            case VALID -> { }
        }
        lastUsed.record(key.id(), now, ip);
        return new Verification(VerificationCode.VALID, caller, restrictions, null, use.remaining());
    }

    /**
     * A cached key with its {@code allowed_ips} compiled once, not at every use, and its last
     * permission intersection: the owner's permissions are one set for as long as the owner is
     * cached (any change evicts it and loads a new set), so the intersection is reused until then.
     */
    private static final class LoadedKey {
        private final ApiKey key;
        private final List<IPAddress> allowedBlocks;
        private volatile Narrowed narrowed;

        private volatile AddressAnswer lastAddress;

        private record Narrowed(Set<String> owner, Set<String> key) {}

        private record AddressAnswer(String ip, boolean allowed) {}

        private LoadedKey(ApiKey key) {
            this.key = key;
            this.allowedBlocks = key.restrictions().allowedBlocks();
        }

        static LoadedKey of(ApiKey key) {
            return new LoadedKey(key);
        }

        ApiKey key() {
            return key;
        }

        /** The permissions this key acts with when its owner holds {@code owner}. */
        Set<String> permissionsFor(Set<String> owner) {
            if (key.restrictions().permissions() == null) return owner;
            Narrowed n = narrowed;
            if (n != null && n.owner() == owner) return n.key();
            Set<String> computed = key.restrictions().narrow(owner);
            narrowed = new Narrowed(owner, computed);
            return computed;
        }

        /**
         * True if the key has no address restriction or {@code ip} lies in one of its blocks. The
         * answer for the last address is kept: a restricted key is mostly used from a few addresses,
         * and parsing one costs more than the rest of a cache hit.
         */
        boolean addressAllowed(String ip) {
            if (allowedBlocks == null) return true;
            if (ip == null) return false;
            AddressAnswer last = lastAddress;
            if (last != null && last.ip().equals(ip)) return last.allowed();
            boolean allowed = inBlocks(IpRules.address(ip));
            lastAddress = new AddressAnswer(ip, allowed);
            return allowed;
        }

        private boolean inBlocks(IPAddress address) {
            if (address == null) return false;
            for (IPAddress b : allowedBlocks) if (IpRules.contains(b, address)) return true;
            return false;
        }
    }

    /**
     * The claims of a token whose signature checks out under a usable key, empty otherwise. The
     * signature check alone is cached, even while blind: it depends on nothing that changes.
     */
    public Optional<AccessTokens.Claims> verifiedClaims(String token) {
        return tokensByHash.get(SecretHash.sha256Hex(token), h -> tokens.parseVerified(token));
    }

    /** A token's verification and the claims it was checked under (null when the signature did not check out). */
    public record TokenVerification(Verification verification, AccessTokens.Claims claims) {}

    /** {@link #verify} for a token, keeping its claims: introspection answers with them, and hashing the token once is enough. */
    public TokenVerification verifyToken(String token, String ip) {
        return verifyToken(token, ip, false);
    }

    private TokenVerification verifyToken(String token, String ip, boolean forThisApiOnly) {
        Optional<AccessTokens.Claims> parsed = verifiedClaims(token).filter(c -> !forThisApiOnly || tokens.forThisApi(c));
        return parsed.isEmpty() ? new TokenVerification(Verification.NOT_FOUND, null)
            : new TokenVerification(verifyClaims(parsed.get(), ip), parsed.get());
    }

    private Verification verifyClaims(AccessTokens.Claims c, String ip) {
        Optional<Holder> subject = holder(c.subject());
        if (subject.isEmpty()) return new Verification(VerificationCode.REVOKED, null); // account deleted
        Optional<Holder> actor = c.actorId() == null ? Optional.empty() : holder(c.actorId());
        Set<String> permissions = c.scope() == null ? subject.get().permissions()
            : java.util.Arrays.stream(c.scope().split(" ")).filter(s -> Permissions.holds(subject.get().permissions(), s))
                .collect(Collectors.toUnmodifiableSet());
        Caller caller = new Caller(subject.get().principal(), actor.map(Holder::principal).orElse(null),
            new CredentialInfo(c.jti(), CredentialKind.ACCESS_TOKEN, null, c.expiresAt(), c.federation()), permissions, ip);
        Instant now = clock.instant();
        if (isRevoked(c.jti())) return new Verification(VerificationCode.REVOKED, caller);
        if (c.secretId() != null && !secretLive(c.secretId(), now)) return new Verification(VerificationCode.REVOKED, caller);
        if (c.actorId() != null && !authz.impersonationStands(actor.map(Holder::principal).orElse(null), caller.orgId())) {
            return new Verification(VerificationCode.REVOKED, caller); // the impersonating admin is gone or no longer an admin
        }
        if (!now.isBefore(c.expiresAt())) return new Verification(VerificationCode.EXPIRED, caller);
        if (caller.principal().disabled()) return new Verification(VerificationCode.DISABLED, caller);
        if (networkPolicyMissing(caller.principal())) return new Verification(VerificationCode.NETWORK_POLICY_REQUIRED, caller);
        if (!addressAllowed(caller.principal(), ip)) return new Verification(VerificationCode.IP_NOT_ALLOWED, caller);
        // under impersonation the admin's own policies (its user's and its organization's) apply at every use too
        if (actor.isPresent() && !addressAllowed(actor.get().principal(), ip)) return new Verification(VerificationCode.IP_NOT_ALLOWED, caller);
        return new Verification(VerificationCode.VALID, caller);
    }

    /**
     * Checks a console session cookie. Sessions are not cached: a log-out must end the session
     * at once on every node, and console traffic is light.
     */
    public Verification verifySession(String token, String ip) {
        if (!SecretFormat.isWellFormed(token, SessionService.PREFIX)) return Verification.NOT_FOUND;
        Optional<Session> found = store.read(tx -> tx.table(SessionStore.class).findByHash(SecretHash.sha256Hex(token)));
        if (found.isEmpty()) return Verification.NOT_FOUND;
        Session s = found.get();
        Optional<Holder> user = holder(s.userId());
        if (user.isEmpty()) return new Verification(VerificationCode.REVOKED, null);
        Caller caller = new Caller(user.get().principal(), null,
            new CredentialInfo(s.id(), CredentialKind.SESSION, null, s.expiresAt()), user.get().permissions(), ip);
        Instant now = clock.instant();
        if (s.revokedAt() != null) return new Verification(VerificationCode.REVOKED, caller);
        if (!now.isBefore(s.expiresAt())) return new Verification(VerificationCode.EXPIRED, caller);
        if (caller.principal().disabled()) return new Verification(VerificationCode.DISABLED, caller);
        if (!addressAllowed(caller.principal(), ip)) return new Verification(VerificationCode.IP_NOT_ALLOWED, caller);
        return new Verification(VerificationCode.VALID, caller);
    }

    /** True if the network policies of the principal and of its organization let {@code ip} in. */
    public boolean addressAllowed(Principal principal, String ip) {
        return network.allows(principal.orgId(), principal.id(), ip);
    }

    /**
     * True if the principal is a service account that may not authenticate at all because its
     * organization's credential policy requires a network policy and none applies to it.
     */
    public boolean networkPolicyMissing(Principal principal) {
        return network.lacksRequiredPolicy(principal.orgId(), principal.id(), principal.type() == PrincipalType.SERVICE_ACCOUNT);
    }

    /** The principal with this id (a service account or a user), as the hot path sees it. */
    public Optional<Principal> principal(String id) {
        return holder(id).map(Holder::principal);
    }

    /** A caller acting as {@code principalId} itself, e.g. a client that authenticated with its secret. */
    public Optional<Caller> callerFor(String principalId, CredentialInfo credential, String ip) {
        return holder(principalId).map(h -> new Caller(h.principal(), null, credential, h.permissions(), ip));
    }

    private Optional<Holder> holder(String id) {
        return cached(principals, id, k -> store.read(tx -> principalLoader.load(tx, k)));
    }

    private boolean isRevoked(String jti) {
        return cached(revokedJtis, jti, j -> store.read(tx -> tx.table(RevokedTokenStore.class).isRevoked(j)));
    }

    /** Whether a client secret is live now, from the cache that every replacement evicts. */
    public boolean isSecretLive(String secretId) {
        return secretLive(secretId, clock.instant());
    }

    private boolean secretLive(String secretId, Instant now) {
        return cached(secrets, secretId, id -> store.read(tx -> tx.table(ClientSecretStore.class).findById(id)))
            .map(s -> s.isLiveAt(now)).orElse(false);
    }

    private Optional<LoadedKey> findKey(String hash) {
        if (blind) return store.read(tx -> tx.table(ApiKeyStore.class).findByHash(hash)).map(LoadedKey::of);
        if (keyMisses.getIfPresent(hash) != null) return Optional.empty();
        LoadedKey key = keysByHash.get(hash, this::loadKeyAndOwner); // null: not cached
        if (key == null) keyMisses.put(hash, Boolean.TRUE);
        return Optional.ofNullable(key);
    }

    private record KeyAndOwner(ApiKey key, Optional<Holder> owner) {}

    /**
     * A key, with its owner read on the same connection when the principal cache lacks it: a cold
     * verification then borrows one connection, not two. The owner is cached only once the
     * connection is back in the pool (waiting on a cache entry's lock while holding the only
     * SQLite connection closed a cycle with a loader waiting for that connection), and only if no
     * principal was evicted since the read began, so an eviction racing with it still wins.
     */
    private LoadedKey loadKeyAndOwner(String hash) {
        long evictionsBefore = principalEvictions.get();
        KeyAndOwner found = store.read(tx -> {
            ApiKey key = tx.table(ApiKeyStore.class).findByHash(hash).orElse(null);
            boolean ownerCached = key == null || principals.getIfPresent(key.ownerId()) != null;
            return new KeyAndOwner(key, ownerCached ? null : principalLoader.load(tx, key.ownerId()));
        });
        if (found.owner() != null) {
            // the eviction counts up before it evicts, and its eviction locks the same entry as this compute
            principals.asMap().compute(found.key().ownerId(),
                (id, cached) -> cached != null || principalEvictions.get() != evictionsBefore ? cached : found.owner());
        }
        return found.key() == null ? null : LoadedKey.of(found.key());
    }

    /** How many real keys, and how many unknown hashes, are cached now (for tests of the split). */
    long cachedKeys() {
        keysByHash.cleanUp();
        return keysByHash.estimatedSize();
    }

    long rememberedMisses() {
        keyMisses.cleanUp();
        return keyMisses.estimatedSize();
    }

    private <K, V> V cached(Cache<K, V> cache, K key, java.util.function.Function<K, V> loader) {
        return blind ? loader.apply(key) : cache.get(key, loader);
    }

    /**
     * Called when the change channel to other nodes is lost ({@code true}) or back
     * ({@code false}). Either way every cache is dropped: while blind nothing is cached, so a
     * change made on another node meanwhile can never be answered from a stale entry.
     */
    public void setBlind(boolean blind) {
        this.blind = blind;
        dropAll();
    }

    /** Evicts every cached key, principal, secret and revocation. */
    public void dropAll() {
        principalEvictions.incrementAndGet();
        keysByHash.invalidateAll();
        keyMisses.invalidateAll();
        principals.invalidateAll();
        revokedJtis.invalidateAll();
        secrets.invalidateAll();
        network.dropAll();
        exchangeCandidates.dropAll();
    }

    /** Evicts keys by the hash of their secret. */
    public void keysChanged(Collection<String> secretHashes) {
        keysByHash.invalidateAll(secretHashes);
        keyMisses.invalidateAll(secretHashes);
    }

    /** {@link CacheInvalidation#ALL} evicts every principal (a role, group or organization setting changed). */
    public void principalChanged(String principalId) {
        principalEvictions.incrementAndGet();
        if (principalId.equals(CacheInvalidation.ALL)) {
            principals.invalidateAll();
        } else {
            principals.invalidate(principalId);
            exchangeCandidates.accountChanged(principalId); // a deleted account's credentials go with it
        }
    }

    public void secretsChanged(Collection<String> secretIds) {
        secrets.invalidateAll(secretIds);
    }

    public void tokensRevoked(Collection<String> jtis) {
        revokedJtis.invalidateAll(jtis);
    }

    public void networkPoliciesChanged(String orgId) {
        network.evict(orgId);
    }

    /** {@link CacheInvalidation#ALL} (an issuer changed) evicts every account's federated credentials. */
    public void federationChanged(String serviceAccountId) {
        if (serviceAccountId.equals(CacheInvalidation.ALL)) exchangeCandidates.dropAll(); else exchangeCandidates.accountChanged(serviceAccountId);
    }

    /** What exchanges read of an account's federated credentials, cached on this node like the rest. */
    public ExchangeCandidates exchangeCandidates() {
        return exchangeCandidates;
    }
}
