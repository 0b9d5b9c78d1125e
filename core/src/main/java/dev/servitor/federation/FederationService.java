// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.servitor.audit.AuditLog;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.Names;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.directory.OrgStore;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rules of workload identity federation: org admins manage issuers and federated
 * credentials (names unique per organization and per account; an issuer still named by a
 * credential cannot be deleted; a credential on a shared public issuer must pin a tenant; a
 * condition must compile), each change one transaction with its audit event; and the checks of
 * a presented workload token against an account's credentials ({@link #match}).
 */
public final class FederationService {
    /** Default {@code max_token_age_seconds}: an identity token older than an hour is not taken. */
    public static final long DEFAULT_MAX_TOKEN_AGE_SECONDS = 3600;
    public static final long DEFAULT_TOKEN_LIFETIME_SECONDS = 900;
    static final int MAX_CLAIMS = 32;

    private final Store store;
    private final AuditLog audit;
    private final Authorizer authz;
    private final IssuerKeys keys;
    private final Clock clock;
    private final long maxTokenLifetimeSeconds;
    private final CacheInvalidation cache;

    public FederationService(Store store, AuditLog audit, Authorizer authz, IssuerKeys keys, CacheInvalidation cache, Clock clock,
                             long maxTokenLifetimeSeconds) {
        this.store = store;
        this.cache = cache;
        this.audit = audit;
        this.authz = authz;
        this.keys = keys;
        this.clock = clock;
        this.maxTokenLifetimeSeconds = maxTokenLifetimeSeconds;
    }

    // ---- issuers ----

    public FederationIssuer createIssuer(Caller caller, NewIssuer req) {
        authz.requireOrgAdmin(caller, "federation.issuer.create", issuerTarget(req.name()));
        String name = Names.require("name", req.name());
        if (req.issuerUrl() == null) throw ServiceException.field(ErrorCode.MISSING_FIELD, "issuer_url", "'issuer_url' is required");
        String url = url("issuer_url", req.issuerUrl());
        String jwksUri = emptyToNull(req.jwksUri()) == null ? null : url("jwks_uri", req.jwksUri());
        String jwks = emptyToNull(req.jwks()) == null ? null : jwks(req.jwks());
        long maxAge = maxAge(req.maxTokenAgeSeconds() == null ? DEFAULT_MAX_TOKEN_AGE_SECONDS : req.maxTokenAgeSeconds());
        boolean requireJti = Boolean.TRUE.equals(req.requireJti());
        return store.write(tx -> {
            if (tx.table(IssuerStore.class).findByName(caller.orgId(), name).isPresent()) throw issuerExists(name);
            Instant now = clock.instant();
            FederationIssuer i = new FederationIssuer(Ids.newId("iss"), caller.orgId(), name, url, jwksUri, jwks, maxAge, requireJti,
                now, now, caller.auditActor());
            tx.table(IssuerStore.class).insert(i);
            audit.append(tx, caller.orgId(), caller, "federation.issuer.create", issuerTarget(name), issuerDetails(i));
            return i;
        });
    }

    public Page<FederationIssuer> listIssuers(Caller caller, PageRequest page) {
        authz.requireOrgAdmin(caller, "federation.issuer.list", "federation_issuer:*");
        return Page.of(store.read(tx -> tx.table(IssuerStore.class).list(caller.orgId(), page)), page, FederationIssuer::name);
    }

    public FederationIssuer getIssuer(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "federation.issuer.get", issuerTarget(name));
        return store.read(tx -> findIssuer(tx, caller.orgId(), name));
    }

    public FederationIssuer updateIssuer(Caller caller, String name, NewIssuer patch) {
        authz.requireOrgAdmin(caller, "federation.issuer.update", issuerTarget(name));
        String newName = patch.name() == null ? null : Names.require("name", patch.name());
        String url = patch.issuerUrl() == null ? null : url("issuer_url", patch.issuerUrl());
        String jwksUri = emptyToNull(patch.jwksUri()) == null ? null : url("jwks_uri", patch.jwksUri());
        String jwks = emptyToNull(patch.jwks()) == null ? null : jwks(patch.jwks());
        Long maxAge = patch.maxTokenAgeSeconds() == null ? null : maxAge(patch.maxTokenAgeSeconds());
        FederationIssuer updated = store.write(tx -> {
            FederationIssuer i = findIssuer(tx, caller.orgId(), name);
            String nextName = newName != null ? newName : i.name();
            if (!nextName.equals(i.name()) && tx.table(IssuerStore.class).findByName(caller.orgId(), nextName).isPresent()) {
                throw issuerExists(nextName);
            }
            String nextUrl = url != null ? url : i.issuerUrl();
            FederationIssuer next = new FederationIssuer(i.id(), i.orgId(), nextName, nextUrl,
                patch.jwksUri() == null ? i.jwksUri() : jwksUri, patch.jwks() == null ? i.jwks() : jwks,
                maxAge != null ? maxAge : i.maxTokenAgeSeconds(), patch.requireJti() != null ? patch.requireJti() : i.requireJti(),
                i.createdAt(), clock.instant(), i.createdBy());
            if (!nextUrl.equals(i.issuerUrl())) requirePinnedCredentials(tx, next);
            tx.table(IssuerStore.class).update(next);
            cache.federationChanged(tx, CacheInvalidation.ALL); // every account's credentials on it hold the old row
            audit.append(tx, caller.orgId(), caller, "federation.issuer.update", issuerTarget(i.name()), issuerDetails(next));
            return next;
        });
        keys.forget(updated.id());
        return updated;
    }

    /** 409 {@code issuer_in_use} while a federated credential names it. */
    public void deleteIssuer(Caller caller, String name) {
        authz.requireOrgAdmin(caller, "federation.issuer.delete", issuerTarget(name));
        String id = store.write(tx -> {
            FederationIssuer i = findIssuer(tx, caller.orgId(), name);
            int using = tx.table(FederatedCredentialStore.class).countByIssuer(i.id());
            if (using > 0) {
                throw new ServiceException(ErrorCode.ISSUER_IN_USE, "'" + name + "' is used by " + using
                    + " federated credential(s); remove them first");
            }
            tx.table(IssuerStore.class).delete(i.id());
            cache.federationChanged(tx, CacheInvalidation.ALL);
            audit.append(tx, caller.orgId(), caller, "federation.issuer.delete", issuerTarget(name), Map.of("id", i.id()));
            return i.id();
        });
        keys.forget(id);
    }

    // ---- federated credentials ----

    /** A federated credential and its issuer's name, as shown. */
    public record Named(FederatedCredential credential, String issuer) {}

    public Named createCredential(Caller caller, String account, NewFederatedCredential req) {
        authz.requireOrgAdmin(caller, "federation.credential.create", accountTarget(account));
        String name = Names.require("name", req.name());
        if (req.issuer() == null) throw ServiceException.field(ErrorCode.MISSING_FIELD, "issuer", "'issuer' is required");
        if (req.audience() == null || req.audience().isEmpty()) {
            throw ServiceException.field(ErrorCode.MISSING_FIELD, "audience", "'audience' is required");
        }
        String audience = text("audience", req.audience());
        String subject = emptyToNull(req.subject()) == null ? null : text("subject", req.subject());
        String prefix = emptyToNull(req.subjectPrefix()) == null ? null : text("subject_prefix", req.subjectPrefix());
        Map<String, String> claims = claims(req.claims());
        String condition = condition(req.condition());
        return store.write(tx -> {
            ServiceAccount sa = findAccount(tx, caller.orgId(), account);
            FederationIssuer issuer = issuerNamed(tx, caller.orgId(), req.issuer());
            long lifetime = lifetime(tx, caller.orgId(), req.tokenLifetimeSeconds());
            if (tx.table(FederatedCredentialStore.class).findByName(sa.id(), name).isPresent()) throw credentialExists(name);
            requirePinned(issuer, subject, prefix, claims, condition);
            Instant now = clock.instant();
            FederatedCredential c = new FederatedCredential(Ids.newId("fc"), caller.orgId(), sa.id(), issuer.id(), name, audience,
                subject, prefix, claims, condition, lifetime, null, now, now, caller.auditActor());
            tx.table(FederatedCredentialStore.class).insert(c);
            cache.federationChanged(tx, sa.id());
            audit.append(tx, caller.orgId(), caller, "federation.credential.create", accountTarget(account), credentialDetails(c, issuer));
            return new Named(c, issuer.name());
        });
    }

    public Page<Named> listCredentials(Caller caller, String account, PageRequest page) {
        authz.requireOrgAdmin(caller, "federation.credential.list", accountTarget(account));
        List<Named> rows = store.read(tx -> {
            ServiceAccount sa = findAccount(tx, caller.orgId(), account);
            List<Named> named = new ArrayList<>();
            for (FederatedCredential c : tx.table(FederatedCredentialStore.class).list(sa.id(), page)) named.add(named(tx, c));
            return named;
        });
        return Page.of(rows, page, n -> n.credential().name());
    }

    public Named getCredential(Caller caller, String account, String name) {
        authz.requireOrgAdmin(caller, "federation.credential.get", accountTarget(account));
        return store.read(tx -> named(tx, findCredential(tx, findAccount(tx, caller.orgId(), account), name)));
    }

    public Named updateCredential(Caller caller, String account, String name, NewFederatedCredential patch) {
        authz.requireOrgAdmin(caller, "federation.credential.update", accountTarget(account));
        String newName = patch.name() == null ? null : Names.require("name", patch.name());
        if (patch.audience() != null && patch.audience().isEmpty()) {
            throw ServiceException.field(ErrorCode.MISSING_FIELD, "audience", "'audience' cannot be cleared");
        }
        String audience = patch.audience() == null ? null : text("audience", patch.audience());
        String subject = emptyToNull(patch.subject()) == null ? null : text("subject", patch.subject());
        String prefix = emptyToNull(patch.subjectPrefix()) == null ? null : text("subject_prefix", patch.subjectPrefix());
        Map<String, String> claims = patch.claims() == null ? null : claims(patch.claims());
        String condition = patch.condition() == null ? null : condition(patch.condition());
        return store.write(tx -> {
            ServiceAccount sa = findAccount(tx, caller.orgId(), account);
            FederatedCredential c = findCredential(tx, sa, name);
            FederationIssuer issuer = patch.issuer() == null ? tx.table(IssuerStore.class).findById(c.issuerId()).orElseThrow()
                : issuerNamed(tx, caller.orgId(), patch.issuer());
            String nextName = newName != null ? newName : c.name();
            if (!nextName.equals(c.name()) && tx.table(FederatedCredentialStore.class).findByName(sa.id(), nextName).isPresent()) {
                throw credentialExists(nextName);
            }
            long lifetime = patch.tokenLifetimeSeconds() == null ? c.tokenLifetimeSeconds() : lifetime(tx, caller.orgId(), patch.tokenLifetimeSeconds());
            FederatedCredential next = new FederatedCredential(c.id(), c.orgId(), c.serviceAccountId(), issuer.id(), nextName,
                audience != null ? audience : c.audience(), patch.subject() == null ? c.subject() : subject,
                patch.subjectPrefix() == null ? c.subjectPrefix() : prefix, claims != null ? claims : c.claims(),
                patch.condition() == null ? c.condition() : condition, lifetime, c.lastUsedAt(), c.createdAt(), clock.instant(),
                c.createdBy());
            requirePinned(issuer, next.subject(), next.subjectPrefix(), next.claims(), next.condition());
            tx.table(FederatedCredentialStore.class).update(next);
            cache.federationChanged(tx, sa.id());
            audit.append(tx, caller.orgId(), caller, "federation.credential.update", accountTarget(account), credentialDetails(next, issuer));
            return new Named(next, issuer.name());
        });
    }

    public void deleteCredential(Caller caller, String account, String name) {
        authz.requireOrgAdmin(caller, "federation.credential.delete", accountTarget(account));
        store.write(tx -> {
            FederatedCredential c = findCredential(tx, findAccount(tx, caller.orgId(), account), name);
            tx.table(FederatedCredentialStore.class).delete(c.id());
            cache.federationChanged(tx, c.serviceAccountId());
            audit.append(tx, caller.orgId(), caller, "federation.credential.delete", accountTarget(account),
                Map.of("id", c.id(), "name", c.name()));
            return null;
        });
    }

    // ---- the exchange's checks ----

    /** A workload token that stands for a service account: the credential it matched, its issuer and its claims. */
    public record Match(FederatedCredential credential, FederationIssuer issuer, JWTClaimsSet claims) {
        public String subject() {
            return claims.getSubject();
        }
    }

    /**
     * The credential of account {@code serviceAccountId} that {@code token} satisfies, after every
     * check of {@link WorkloadTokens}; else a {@link FederationRefusal} with the reason (the
     * mismatch of the last credential of the token's issuer, when several were tried). Reads the
     * account's credentials through {@code candidatesOf} (this node's cache); the {@code jti} is
     * claimed by the caller, in the transaction that accepts the token.
     */
    public Match match(String serviceAccountId, String token, ExchangeCandidates candidatesOf) {
        SignedJWT jwt = WorkloadTokens.parse(token);
        String iss;
        try {
            iss = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new FederationRefusal("malformed_token");
        }
        if (iss == null) throw new FederationRefusal("malformed_token");
        List<FederatedCredentialStore.WithIssuer> candidates = candidatesOf.forIssuer(serviceAccountId, iss);
        if (candidates.isEmpty()) throw new FederationRefusal("wrong_issuer");
        Instant now = clock.instant();
        Map<String, JWTClaimsSet> verifiedBy = new LinkedHashMap<>();
        String reason = "no_matching_credential";
        for (FederatedCredentialStore.WithIssuer candidate : candidates) {
            JWTClaimsSet claims = verifiedBy.get(candidate.issuer().id());
            if (claims == null) {
                claims = WorkloadTokens.verify(jwt, candidate.issuer(), keys, now); // the same issuer's refusal is the same for each
                verifiedBy.put(candidate.issuer().id(), claims);
            }
            String mismatch = WorkloadTokens.mismatch(candidate.credential(), claims);
            if (mismatch == null) return new Match(candidate.credential(), candidate.issuer(), claims);
            reason = mismatch;
        }
        throw new FederationRefusal(reason);
    }

    /** Records a use of {@code credential}, in the exchange's transaction. */
    public static void touch(Tx tx, FederatedCredential credential, Instant now) {
        tx.table(FederatedCredentialStore.class).touch(credential.id(), now);
    }

    /** The access-token lifetime for a token of {@code credential}: its own, within the server's (the caller applies the organization's). */
    public long tokenLifetime(FederatedCredential credential) {
        return Math.min(credential.tokenLifetimeSeconds(), maxTokenLifetimeSeconds);
    }

    // ---- the parts ----

    private void requirePinnedCredentials(Tx tx, FederationIssuer issuer) {
        // the credentials of an issuer moved onto a shared one must pin a tenant there too
        if (SharedIssuers.of(issuer.issuerUrl()).isEmpty()) return;
        for (FederatedCredential c : tx.table(FederatedCredentialStore.class).listByIssuer(issuer.id())) {
            requirePinned(issuer, c.subject(), c.subjectPrefix(), c.claims(), c.condition());
        }
    }

    private static void requirePinned(FederationIssuer issuer, String subject, String prefix, Map<String, String> claims, String condition) {
        Optional<SharedIssuers.Shared> shared = SharedIssuers.of(issuer.issuerUrl());
        if (shared.isPresent() && !SharedIssuers.tenantPinned(shared.get(), subject, prefix, claims, condition)) {
            throw ServiceException.field(ErrorCode.TENANT_NOT_PINNED, "subject", shared.get().platform()
                + " signs tokens for every customer of theirs: pin yours with 'subject', 'subject_prefix', one of the claims "
                + String.join(", ", new java.util.TreeSet<>(shared.get().tenantClaims())) + " in 'claims', or a 'condition' on one");
        }
    }

    private long lifetime(Tx tx, String orgId, Long requested) {
        long org = Math.min(tx.table(OrgStore.class).settings(orgId).accessTokenLifetimeSeconds(), maxTokenLifetimeSeconds);
        long value = requested == null ? Math.min(DEFAULT_TOKEN_LIFETIME_SECONDS, org) : requested;
        if (value < 60 || value > org) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "token_lifetime_seconds",
                "'token_lifetime_seconds' must be between 60 and " + org + " (the organization's access-token lifetime)");
        }
        return value;
    }

    private String url(String field, String value) {
        String refused = keys.refusal(value);
        if (refused != null) throw ServiceException.field(ErrorCode.INVALID_VALUE, field, "'" + field + "' " + refused);
        return value;
    }

    private static String jwks(String json) {
        if (json.length() > IssuerKeys.MAX_BYTES) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "jwks", "'jwks' must be at most " + IssuerKeys.MAX_BYTES + " bytes");
        }
        try {
            JWKSet set = JWKSet.parse(json);
            if (set.getKeys().isEmpty()) throw new ParseException("no keys", 0);
            if (set.getKeys().stream().anyMatch(k -> k.isPrivate())) {
                // a private key pasted here would be stored and shown: refuse it
                throw ServiceException.field(ErrorCode.INVALID_VALUE, "jwks", "'jwks' must hold public keys only");
            }
            return set.toString(true);
        } catch (ParseException e) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "jwks", "'jwks' must be a JWK set with at least one key");
        }
    }

    private static long maxAge(long seconds) {
        if (seconds < 60 || seconds > 86_400) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "max_token_age_seconds", "'max_token_age_seconds' must be between 60 and 86400");
        }
        return seconds;
    }

    private static String text(String field, String value) {
        if (value.length() > 1024 || value.indexOf('\0') >= 0) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, field, "'" + field + "' must be at most 1024 characters, without NUL");
        }
        return value;
    }

    private static Map<String, String> claims(Map<String, String> claims) {
        if (claims == null) return Map.of();
        if (claims.size() > MAX_CLAIMS) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "claims", "'claims' may hold at most " + MAX_CLAIMS + " claims");
        }
        Map<String, String> sorted = new TreeMap<>();
        claims.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > 255) throw ServiceException.field(ErrorCode.INVALID_VALUE, "claims", "'claims' has an empty or too long claim name");
            sorted.put(text("claims", k), text("claims", v));
        });
        return sorted;
    }

    private static String condition(String condition) {
        if (condition == null || condition.isEmpty()) return null;
        CelCondition.check(condition);
        return condition;
    }

    private static FederationIssuer findIssuer(Tx tx, String orgId, String name) {
        return tx.table(IssuerStore.class).findByName(orgId, name).orElseThrow(() -> new ServiceException(ErrorCode.ISSUER_NOT_FOUND,
            "No federation issuer named '" + (Names.isValid(name) ? name : "(invalid name)") + "'"));
    }

    private static FederationIssuer issuerNamed(Tx tx, String orgId, String name) {
        if (!Names.isValid(name)) throw ServiceException.field(ErrorCode.UNKNOWN_ISSUER, "issuer", "'issuer' must name a federation issuer");
        return tx.table(IssuerStore.class).findByName(orgId, name).orElseThrow(() -> ServiceException.field(ErrorCode.UNKNOWN_ISSUER,
            "issuer", "'issuer': no federation issuer named '" + name + "'"));
    }

    private ServiceAccount findAccount(Tx tx, String orgId, String name) {
        return tx.table(ServiceAccountStore.class).findByName(orgId, name, clock.instant())
            .orElseThrow(() -> new ServiceException(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND,
                "No service account named '" + (Names.isValid(name) ? name : "(invalid name)") + "'"));
    }

    private static FederatedCredential findCredential(Tx tx, ServiceAccount sa, String name) {
        return tx.table(FederatedCredentialStore.class).findByName(sa.id(), name)
            .orElseThrow(() -> new ServiceException(ErrorCode.FEDERATED_CREDENTIAL_NOT_FOUND,
                "No federated credential named '" + (Names.isValid(name) ? name : "(invalid name)") + "' on '" + sa.name() + "'"));
    }

    private static Named named(Tx tx, FederatedCredential c) {
        return new Named(c, tx.table(IssuerStore.class).findById(c.issuerId()).map(FederationIssuer::name).orElse(null));
    }

    private static ServiceException issuerExists(String name) {
        return ServiceException.field(ErrorCode.ISSUER_EXISTS, "name", "A federation issuer named '" + name + "' already exists");
    }

    private static ServiceException credentialExists(String name) {
        return ServiceException.field(ErrorCode.FEDERATED_CREDENTIAL_EXISTS, "name", "A federated credential named '" + name + "' already exists");
    }

    /** The audit target; a name that breaks the naming rule (it might be a pasted secret) is not recorded. */
    private static String issuerTarget(String name) {
        return "federation_issuer:" + safe(name);
    }

    private static String accountTarget(String name) {
        return "service_account:" + safe(name);
    }

    private static String safe(String name) {
        return Names.isValid(name) && !SecretFormat.isWellFormed(name) ? name : "(invalid name)";
    }

    private static Map<String, String> issuerDetails(FederationIssuer i) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("id", i.id());
        d.put("name", i.name());
        d.put("issuer_url", i.issuerUrl());
        d.put("keys", i.jwks() != null ? "inline" : i.jwksUri() != null ? i.jwksUri() : "discovery");
        d.put("max_token_age_seconds", Long.toString(i.maxTokenAgeSeconds()));
        d.put("require_jti", Boolean.toString(i.requireJti()));
        return d;
    }

    private static Map<String, String> credentialDetails(FederatedCredential c, FederationIssuer issuer) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("id", c.id());
        d.put("name", c.name());
        d.put("issuer", issuer.name());
        d.put("audience", c.audience());
        if (c.subject() != null) d.put("subject", c.subject());
        if (c.subjectPrefix() != null) d.put("subject_prefix", c.subjectPrefix());
        if (!c.claims().isEmpty()) d.put("claims", String.join(",", c.claims().keySet()));
        if (c.condition() != null) d.put("condition", c.condition());
        d.put("token_lifetime_seconds", Long.toString(c.tokenLifetimeSeconds()));
        return d;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
