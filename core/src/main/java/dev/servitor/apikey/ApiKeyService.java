// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

import dev.servitor.audit.AuditLog;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.caller.OwnerKind;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.ServiceException;
import dev.servitor.config.ServitorConfig;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.crypto.SecretHash;
import dev.servitor.directory.OrgSettings;
import dev.servitor.directory.OrgStore;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.directory.UserStore;
import dev.servitor.policy.CredentialPolicies;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Minting, listing, revoking and rotating API keys of service accounts and users. A secret is
 * returned once, by the call that creates it, and only its SHA-256 is stored. Live keys per
 * owner are capped (50 per service account, 5 per user by default), keys in a rotation's grace
 * included. Every change to an owner's keys (creation, rotation, revocation, and the owner's
 * deletion) takes the owner's row lock before it reads what it checks (the count, the key), so
 * the cap holds under concurrency, one key has one successor and one revocation, and no key is
 * minted for an owner that a concurrent delete removed.
 * No key is minted under impersonation (see {@link Authorizer#requireNotImpersonating}).
 */
public final class ApiKeyService {
    public static final long MAX_TTL_SECONDS = 3650L * 86400;
    public static final long MAX_EXPIRES_IN_DAYS = 3650;
    public static final long MAX_GRACE_SECONDS = 30L * 86400;
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_DESCRIPTION_LENGTH = 1024;

    private final Store store;
    private final AuditLog audit;
    private final Authorizer authz;
    private final CacheInvalidation cache;
    private final Clock clock;
    private final ServitorConfig.Credentials settings;
    private final KeyLimitCounters counters;

    public ApiKeyService(Store store, AuditLog audit, Authorizer authz, CacheInvalidation cache, Clock clock, ServitorConfig.Credentials settings) {
        this(store, audit, authz, cache, clock, settings, KeyLimitCounters.NONE);
    }

    public ApiKeyService(Store store, AuditLog audit, Authorizer authz, CacheInvalidation cache, Clock clock, ServitorConfig.Credentials settings,
                         KeyLimitCounters counters) {
        this.counters = counters;
        this.store = store;
        this.audit = audit;
        this.authz = authz;
        this.cache = cache;
        this.clock = clock;
        this.settings = settings;
    }

    /** The owner as resolved inside a transaction. */
    public record Owner(OwnerKind kind, String id, String name, String orgId) {
        String auditTarget() {
            return kind.wire() + ":" + name;
        }
    }

    public CreatedKey create(Caller caller, KeyOwnerRef ref, NewKey req) {
        authorize(caller, ref, "key.create");
        authz.requireNotImpersonating(caller, "key.create", ref.auditTarget());
        ValidKey valid = validate(req);
        return store.write(tx -> {
            // before the owner is looked up: 422 comes before 404 (a caller only ever reaches its own organization)
            CredentialPolicies.requireKeyLifetime(tx, caller.orgId(), valid.ttlSeconds(), valid.lifetimeField());
            CreatedKey created = mint(tx, caller, resolve(tx, caller, ref), valid, true, "key.create");
            cache.keysChanged(tx, List.of(SecretHash.sha256Hex(created.secret())));
            return created;
        });
    }

    public List<ApiKey> list(Caller caller, KeyOwnerRef ref) {
        authorize(caller, ref, "key.list");
        return store.read(tx -> tx.table(ApiKeyStore.class).listLive(resolve(tx, caller, ref).id(), clock.instant()));
    }

    /**
     * Revokes a live key. A key that is no longer live answers 404, but its revocation is
     * announced again: a retry after a crash must still reach the nodes that missed it.
     */
    public void revoke(Caller caller, KeyOwnerRef ref, String keyId) {
        authorize(caller, ref, "key.revoke");
        boolean revoked = store.write(tx -> {
            Owner owner = resolve(tx, caller, ref);
            lockOwner(tx, owner); // of racing revocations one finds the key live, the others 404
            Optional<ApiKey> live = tx.table(ApiKeyStore.class).findById(owner.id(), keyId).filter(k -> k.isLiveAt(clock.instant()));
            if (live.isEmpty()) {
                tx.table(ApiKeyStore.class).secretHash(owner.id(), keyId).ifPresent(hash -> cache.keysChanged(tx, List.of(hash)));
                return false;
            }
            ApiKey key = live.get();
            cache.keysChanged(tx, tx.table(ApiKeyStore.class).revoke(key.id(), clock.instant()));
            audit.append(tx, owner.orgId(), caller, "key.revoke", owner.auditTarget() + "/key:" + key.id(),
                Map.of("key_id", key.id(), "name", key.name()));
            return true;
        });
        if (!revoked) throw new ServiceException(ErrorCode.KEY_NOT_FOUND, "No live key '" + keyId + "' for '" + ref.name() + "'");
    }

    /**
     * Changes a live key's name, description or restrictions in one transaction, audited as
     * {@code key.update}; every node drops the key from its caches, so the next use sees the
     * change. Authorized as creating a key of that owner is: refused before any input is judged.
     */
    public ApiKey update(Caller caller, KeyOwnerRef ref, String keyId, KeyUpdate req) {
        authorize(caller, ref, "key.update");
        authz.requireNotImpersonating(caller, "key.update", ref.auditTarget());
        if (req.name() != null) validName(req.name());
        if (req.description() != null) validDescription(req.description());
        // the members sent must be valid on their own; a refill may rely on the key's remaining_uses
        if (req.restrictions() != null) req.restrictions().over(new KeyRestrictions(null, null, null, 0L, null)).validate();
        return store.write(tx -> {
            Owner owner = resolve(tx, caller, ref);
            lockOwner(tx, owner); // an update racing a revocation or a rotation of the key sees its result
            ApiKey old = liveKey(tx, owner, keyId);
            KeyRestrictions restrictions = req.restrictions() == null ? old.restrictions() : req.restrictions().over(old.restrictions()).validate();
            ApiKey updated = new ApiKey(old.id(), old.orgId(), old.ownerKind(), old.ownerId(),
                req.name() == null ? old.name() : req.name(), req.description() == null ? old.description() : req.description(),
                old.type(), old.prefix(), old.createdAt(), old.expiresAt(), old.revokedAt(), old.lastUsedAt(), old.lastUsedIp(),
                old.createdBy(), restrictions);
            String hash = tx.table(ApiKeyStore.class).update(updated).orElseThrow(() -> keyNotFound(owner, keyId));
            // remaining_uses sent (even unchanged) grants that many uses afresh; other members leave the count alone
            if (req.restrictions() != null && req.restrictions().present().contains("remaining_uses")) {
                counters.restrictionsSet(tx, updated, clock.instant());
            }
            cache.keysChanged(tx, List.of(hash));
            Map<String, String> details = new LinkedHashMap<>();
            details.put("key_id", updated.id());
            details.put("name", updated.name());
            details.put("restrictions", restrictions.isNone() ? null : restrictions.toJson());
            audit.append(tx, owner.orgId(), caller, "key.update", owner.auditTarget() + "/key:" + updated.id(), details);
            return updated;
        });
    }

    /**
     * A new key like the old one; the old one keeps working for {@code graceSeconds} (null: 0).
     * A key already in a grace is not rotated again (409 key_retiring): rotate its successor. With
     * a grace the old key still counts toward the limit, so at the limit only a rotation without
     * grace (a replacement) is allowed.
     */
    public CreatedKey rotate(Caller caller, KeyOwnerRef ref, String keyId, Long graceSeconds) {
        authorize(caller, ref, "key.rotate");
        authz.requireNotImpersonating(caller, "key.rotate", ref.auditTarget());
        long grace = graceSeconds == null ? 0 : graceSeconds;
        if (grace < 0 || grace > MAX_GRACE_SECONDS) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "grace_seconds",
                "'grace_seconds' must be between 0 and " + MAX_GRACE_SECONDS);
        }
        return store.write(tx -> {
            Owner owner = resolve(tx, caller, ref);
            lockOwner(tx, owner); // racing rotations of one key run one after another and see each other's result
            ApiKey old = liveKey(tx, owner, keyId);
            if (old.revokedAt() != null) throw retiring(old);
            Instant now = clock.instant();
            if (grace > 0) requireRoom(tx, owner, now, "rotate with grace_seconds 0 or revoke a key first");
            Long lifetime = old.expiresAt() == null ? null : Duration.between(old.createdAt(), old.expiresAt()).toSeconds();
            // the successor inherits the old key's lifetime, which the policy may no longer allow
            // and its restrictions (a rotation replaces the secret, not what the key may do)
            ValidKey like = new ValidKey(old.name(), old.description(), old.type(), lifetime, "expires_at", old.restrictions());
            CredentialPolicies.requireKeyLifetime(tx, owner.orgId(), like.ttlSeconds(), like.lifetimeField());
            String oldHash = tx.table(ApiKeyStore.class).retire(old.id(), now.plusSeconds(grace)).orElseThrow(() -> keyNotFound(owner, keyId));
            CreatedKey fresh = mint(tx, caller, owner, like, false, null);
            counters.rotated(tx, old, fresh.key(), now);
            cache.keysChanged(tx, List.of(oldHash));
            audit.append(tx, owner.orgId(), caller, "key.rotate", owner.auditTarget() + "/key:" + old.id(),
                Map.of("key_id", old.id(), "new_key_id", fresh.key().id(), "grace_seconds", Long.toString(grace)));
            return fresh;
        });
    }

    /** Mints a key inside the caller's transaction; used at service account creation with {@code issue_key}. */
    public CreatedKey mintDefault(Tx tx, Caller caller, Owner owner) {
        // under a maximum lifetime the default key lives that long rather than forever (docs/api.md "Credential policy")
        Long lifetime = CredentialPolicies.maxKeyLifetimeSeconds(tx, owner.orgId());
        return mint(tx, caller, owner, new ValidKey("default", "", KeyType.READ_WRITE, lifetime, "issue_key", KeyRestrictions.NONE), true, "key.create");
    }

    /** Inserts a key with a given secret; used once, by the first start, for the bootstrap admin. */
    public ApiKey insertWithSecret(Tx tx, Caller caller, Owner owner, String name, String secret) {
        Instant now = clock.instant();
        ApiKey key = new ApiKey(Ids.newId("key"), owner.orgId(), owner.kind(), owner.id(), name, "", KeyType.READ_WRITE,
            SecretFormat.displayPrefix(secret), now, null, null, null, null, caller.auditActor(), KeyRestrictions.NONE);
        tx.table(ApiKeyStore.class).insert(key, SecretHash.sha256Hex(secret));
        audit.append(tx, owner.orgId(), caller, "key.create", owner.auditTarget() + "/key:" + key.id(),
            Map.of("key_id", key.id(), "name", name, "type", key.type().wire()));
        return key;
    }

    private CreatedKey mint(Tx tx, Caller caller, Owner owner, ValidKey req, boolean enforceLimit, String auditAction) {
        Instant now = clock.instant();
        if (enforceLimit) {
            lockOwner(tx, owner);
            requireRoom(tx, owner, now, "revoke one first");
        }
        String secret = SecretFormat.generate(settings.keyPrefix());
        Instant expiresAt = req.ttlSeconds() == null ? null : now.plusSeconds(req.ttlSeconds());
        ApiKey key = new ApiKey(Ids.newId("key"), owner.orgId(), owner.kind(), owner.id(), req.name(), req.description(),
            req.type(), SecretFormat.displayPrefix(secret), now, expiresAt, null, null, null, caller.auditActor(), req.restrictions());
        tx.table(ApiKeyStore.class).insert(key, SecretHash.sha256Hex(secret));
        if (auditAction != null) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("key_id", key.id());
            details.put("name", key.name());
            details.put("type", key.type().wire());
            details.put("expires_at", expiresAt == null ? null : expiresAt.toString());
            if (!key.restrictions().isNone()) details.put("restrictions", key.restrictions().toJson());
            audit.append(tx, owner.orgId(), caller, auditAction, owner.auditTarget() + "/key:" + key.id(), details);
        }
        return new CreatedKey(key, secret);
    }

    /** Takes the owner's row lock; 404 if the row is gone (a concurrent delete committed first). */
    private void lockOwner(Tx tx, Owner owner) {
        boolean present = owner.kind() == OwnerKind.SERVICE_ACCOUNT
            ? tx.table(ServiceAccountStore.class).lock(owner.id()) : tx.table(UserStore.class).lock(owner.id());
        if (!present) throw ownerNotFound(owner.kind(), owner.name());
    }

    /** 409 unless one more live key fits under the owner's limit; keys in a grace count. Call under the owner's lock. */
    private static void requireRoom(Tx tx, Owner owner, Instant now, String advice) {
        OrgSettings quotas = tx.table(OrgStore.class).settings(owner.orgId());
        int limit = owner.kind() == OwnerKind.SERVICE_ACCOUNT ? quotas.maxKeysPerServiceAccount() : quotas.maxKeysPerUser();
        if (tx.table(ApiKeyStore.class).countLive(owner.id(), now) >= limit) {
            throw new ServiceException(ErrorCode.KEY_LIMIT_REACHED,
                "'" + owner.name() + "' already has " + limit + " live keys, the most allowed; " + advice);
        }
    }

    private static ServiceException retiring(ApiKey key) {
        return new ServiceException(ErrorCode.KEY_RETIRING, "Key '" + key.id() + "' is already being replaced and stops working at "
            + key.revokedAt() + "; rotate its successor, or revoke it to end its grace now");
    }

    private static ServiceException ownerNotFound(OwnerKind kind, String name) {
        return kind == OwnerKind.SERVICE_ACCOUNT
            ? new ServiceException(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, "No service account named '" + name + "'")
            : new ServiceException(ErrorCode.USER_NOT_FOUND, "No user named '" + name + "'");
    }

    private ApiKey liveKey(Tx tx, Owner owner, String keyId) {
        return tx.table(ApiKeyStore.class).findById(owner.id(), keyId).filter(k -> k.isLiveAt(clock.instant()))
            .orElseThrow(() -> keyNotFound(owner, keyId));
    }

    private static ServiceException keyNotFound(Owner owner, String keyId) {
        return new ServiceException(ErrorCode.KEY_NOT_FOUND, "No live key '" + keyId + "' for '" + owner.name() + "'");
    }

    private Owner resolve(Tx tx, Caller caller, KeyOwnerRef ref) {
        if (ref.kind() == OwnerKind.SERVICE_ACCOUNT) {
            return tx.table(ServiceAccountStore.class).findByName(caller.orgId(), ref.name(), clock.instant())
                .map(sa -> new Owner(OwnerKind.SERVICE_ACCOUNT, sa.id(), sa.name(), sa.orgId()))
                .orElseThrow(() -> ownerNotFound(OwnerKind.SERVICE_ACCOUNT, ref.name()));
        }
        return tx.table(UserStore.class).findByUsername(caller.orgId(), ref.name())
            .map(u -> new Owner(OwnerKind.USER, u.id(), u.username(), u.orgId()))
            .orElseThrow(() -> ownerNotFound(OwnerKind.USER, ref.name()));
    }

    /** Org admins manage every key of their organization; a user also manages its own personal keys. */
    private void authorize(Caller caller, KeyOwnerRef ref, String action) {
        authz.requireKeyManagement(caller, ref, action);
    }

    /** {@code lifetimeField}: the field a refusal by the credential policy names. */
    private record ValidKey(String name, String description, KeyType type, Long ttlSeconds, String lifetimeField,
                            KeyRestrictions restrictions) {}

    private static void validName(String name) {
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw ServiceException.field(ErrorCode.INVALID_NAME, "name",
                "'name' must be 1-" + MAX_NAME_LENGTH + " printable characters");
        }
    }

    private static void validDescription(String description) {
        if (description.length() > MAX_DESCRIPTION_LENGTH) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "description",
                "'description' must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        if (description.indexOf('\0') >= 0) { // PostgreSQL text cannot hold U+0000; refuse it on every engine alike
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "description", "'description' must not contain NUL characters");
        }
    }

    private static ValidKey validate(NewKey req) {
        String name = req.name();
        if (name == null) throw ServiceException.field(ErrorCode.MISSING_FIELD, "name", "'name' is required");
        validName(name);
        String description = req.description() == null ? "" : req.description();
        validDescription(description);
        KeyType type = req.type() == null ? KeyType.READ_WRITE : KeyType.fromWire(req.type());
        if (type == null) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, req.typeField(),
                "'" + req.typeField() + "' must be read_write or read_scaling");
        }
        if (req.ttlSeconds() != null && req.expiresInDays() != null) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, req.ttlField(),
                "give either '" + req.ttlField() + "' or 'expires_in_days', not both");
        }
        Long ttl = null;
        if (req.ttlSeconds() != null) {
            if (req.ttlSeconds() < 1 || req.ttlSeconds() > MAX_TTL_SECONDS) {
                throw ServiceException.field(ErrorCode.INVALID_VALUE, req.ttlField(),
                    "'" + req.ttlField() + "' must be between 1 and " + MAX_TTL_SECONDS + " seconds (10 years)");
            }
            ttl = req.ttlSeconds();
        } else if (req.expiresInDays() != null) {
            if (req.expiresInDays() < 1 || req.expiresInDays() > MAX_EXPIRES_IN_DAYS) {
                throw ServiceException.field(ErrorCode.INVALID_VALUE, "expires_in_days",
                    "'expires_in_days' must be between 1 and " + MAX_EXPIRES_IN_DAYS);
            }
            ttl = req.expiresInDays() * 86400;
        }
        KeyRestrictions restrictions = req.restrictions() == null ? KeyRestrictions.NONE : req.restrictions().validate();
        return new ValidKey(name, description, type, ttl, req.expiresInDays() != null ? "expires_in_days" : req.ttlField(),
            restrictions);
    }
}
