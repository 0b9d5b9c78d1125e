// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

import dev.servitor.account.ServiceAccount;
import dev.servitor.audit.AuditLog;
import dev.servitor.auth.CacheInvalidation;
import dev.servitor.auth.Caller;
import dev.servitor.auth.CredentialInfo;
import dev.servitor.auth.CredentialKind;
import dev.servitor.auth.CredentialVerifier;
import dev.servitor.auth.Permissions;
import dev.servitor.auth.Principal;
import dev.servitor.auth.Verification;
import dev.servitor.auth.VerificationCode;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.ServiceException;
import dev.servitor.config.ServitorConfig;
import dev.servitor.oauthclient.ClientSecretService;
import dev.servitor.org.OrgService;
import dev.servitor.org.UsageCounters;
import dev.servitor.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OAuth 2.0 for service accounts: client_credentials grants, impersonation (by API and by
 * RFC 8693 token exchange), introspection (RFC 7662) and revocation (RFC 7009). Tokens are
 * short-lived JWTs; every use re-checks live state in {@link CredentialVerifier}.
 */
public final class TokenService {
    private final Store store;
    private final ClientSecretService secrets;
    private final CredentialVerifier verifier;
    private final AccessTokens tokens;
    private final AuditLog audit;
    private final CacheInvalidation cache;
    private final Clock clock;
    private final ServitorConfig.Tokens settings;
    private final OrgService orgs;
    private final UsageCounters usage;

    public TokenService(Store store, ClientSecretService secrets, CredentialVerifier verifier, AccessTokens tokens, AuditLog audit,
                        CacheInvalidation cache, Clock clock, ServitorConfig.Tokens settings, OrgService orgs, UsageCounters usage) {
        this.orgs = orgs;
        this.usage = usage;
        this.store = store;
        this.secrets = secrets;
        this.verifier = verifier;
        this.tokens = tokens;
        this.audit = audit;
        this.cache = cache;
        this.clock = clock;
        this.settings = settings;
    }

    /** RFC 6749 section 4.4. Any fault of the client authentication is the same {@code invalid_client}. */
    public IssuedToken clientCredentials(String clientId, String clientSecret, String audience, String scope, String issuer, String ip) {
        ClientSecretService.Authenticated client = secrets.authenticate(clientId, clientSecret)
            .orElseThrow(OAuthException::invalidClient);
        Caller caller = verifier.callerFor(client.serviceAccountId(), null, ip).orElseThrow(OAuthException::invalidClient);
        if (caller.principal().disabled()) throw OAuthException.invalidClient(); // disabled looks like any other failure
        if (!verifier.addressAllowed(caller.principal(), ip)) {
            // the client proved who it is, so it may learn that its address is what is refused
            throw new OAuthException(OAuthException.ACCESS_DENIED, "A network policy does not allow this client address");
        }
        String granted = grantedScope(caller, scope);
        long lifetime = Math.min(orgs.settings(caller.orgId()).accessTokenLifetimeSeconds(), settings.maxLifetimeSeconds());
        usage.count(caller.orgId(), UsageCounters.TOKEN_GRANTS);
        IssuedToken issued = issue(caller.principal(), issuer, audience, granted, client.secretId(), null, lifetime);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("grant_type", "client_credentials");
        details.put("audience", audience);
        details.put("scope", granted);
        audit.appendLater(caller.orgId(), caller, "token.issue", "service_account:" + caller.principal().name(), details);
        return issued;
    }

    /** MotherDuck's impersonation: an org admin of the account's organization acts as it for two hours. */
    public IssuedToken impersonate(Caller admin, String serviceAccountName, String issuer) {
        if (!admin.holds(Permissions.ORG_ADMIN) || admin.actor() != null) {
            audit.denied(admin, "impersonation.start", "service_account:" + serviceAccountName);
            admin.require(Permissions.ORG_ADMIN);
            throw new ServiceException(ErrorCode.FORBIDDEN, "An impersonation cannot start another one");
        }
        ServiceAccount sa = store.read(tx -> tx.serviceAccounts().findByName(admin.orgId(), serviceAccountName, clock.instant()))
            .orElseThrow(() -> new ServiceException(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, "No service account named '" + serviceAccountName + "'"));
        return startImpersonation(admin, sa, issuer);
    }

    /**
     * RFC 8693 token exchange for impersonation: the admin's own credential is the actor token,
     * the service account's client id the subject.
     */
    public IssuedToken exchange(String actorToken, String subjectClientId, String audience, String issuer, String ip) {
        Verification actor = verifier.verify(actorToken, ip);
        if (actor.code() == VerificationCode.IP_NOT_ALLOWED) {
            throw new OAuthException(OAuthException.ACCESS_DENIED, "A network policy does not allow this client address");
        }
        if (!actor.valid()) throw new OAuthException(OAuthException.INVALID_GRANT, "The actor token is not valid");
        Caller admin = actor.caller();
        if (!admin.holds(Permissions.ORG_ADMIN) || admin.actor() != null) {
            throw new OAuthException(OAuthException.ACCESS_DENIED, "Only an org admin may impersonate a service account");
        }
        ServiceAccount sa = store.read(tx -> tx.serviceAccounts().findById(subjectClientId, clock.instant()))
            .filter(s -> s.orgId().equals(admin.orgId()))
            .orElseThrow(() -> new OAuthException(OAuthException.INVALID_GRANT, "No such service account in your organization"));
        return startImpersonation(admin, sa, issuer);
    }

    private IssuedToken startImpersonation(Caller admin, ServiceAccount sa, String issuer) {
        if (sa.disabled()) throw new ServiceException(ErrorCode.FORBIDDEN, "'" + sa.name() + "' is disabled");
        Principal subject = verifier.principal(sa.id()).orElseThrow();
        long lifetime = settings.impersonationSeconds();
        usage.count(admin.orgId(), UsageCounters.TOKEN_GRANTS);
        IssuedToken issued = issue(subject, issuer, null, null, null, admin.principal(), lifetime);
        store.write(tx -> audit.append(tx, admin.orgId(), admin, "impersonation.start", "service_account:" + sa.name(),
            Map.of("expires_in", Long.toString(lifetime))));
        return issued;
    }

    /** The RFC 7662 answer; {@code active} only for a valid credential of the caller's organization. */
    public record Introspection(boolean active, AccessTokens.Claims claims, Caller subject, VerificationCode code) {}

    public Introspection introspect(Caller caller, String token) {
        CredentialVerifier.TokenVerification checked = AccessTokens.looksLikeJwt(token) ? verifier.verifyToken(token, caller.ip())
            : new CredentialVerifier.TokenVerification(verifier.verify(token, caller.ip()), null); // an API key has no claims
        Verification v = checked.verification();
        boolean sameOrg = v.caller() != null && (caller.principal().operator() || v.caller().orgId().equals(caller.orgId()));
        boolean allowed = caller.holds(Permissions.VERIFY) || (v.caller() != null && v.caller().principal().id().equals(caller.principal().id()));
        if (!v.valid() || !sameOrg || !allowed) return new Introspection(false, null, null, v.code());
        return new Introspection(true, checked.claims(), v.caller(), v.code());
    }

    /** RFC 7009: the token's own client or an org admin of its organization may revoke it; otherwise nothing happens. */
    public void revoke(Caller caller, String token) {
        if (!AccessTokens.looksLikeJwt(token)) return;
        Optional<AccessTokens.Claims> parsed = verifier.verifiedClaims(token);
        if (parsed.isEmpty()) return;
        AccessTokens.Claims c = parsed.get();
        Optional<Principal> subject = verifier.principal(c.subject());
        if (subject.isEmpty()) return;
        boolean own = subject.get().id().equals(caller.principal().id());
        boolean admin = caller.holds(Permissions.ORG_ADMIN) && subject.get().orgId().equals(caller.orgId());
        if (!own && !admin) return; // RFC 7009: say nothing about tokens the caller may not revoke
        store.write(tx -> {
            tx.revokedTokens().insert(c.jti(), subject.get().orgId(), c.expiresAt(), clock.instant());
            audit.append(tx, subject.get().orgId(), caller, "token.revoke", "service_account:" + subject.get().name(),
                Map.of("jti", c.jti()));
            cache.tokensRevoked(tx, List.of(c.jti()));
            return null;
        });
    }

    /** Forgets revocations of tokens that have expired anyway. */
    public int pruneRevoked() {
        return store.write(tx -> tx.revokedTokens().deleteExpired(clock.instant()));
    }

    private IssuedToken issue(Principal subject, String issuer, String audience, String scope, String secretId, Principal actor,
                              long lifetime) {
        Instant now = clock.instant();
        Instant exp = now.plusSeconds(lifetime);
        List<String> aud = List.of(audience != null ? audience : issuer);
        AccessTokens.Claims claims = new AccessTokens.Claims(Ids.newId("jti"), subject.id(), issuer, aud, now, exp,
            subject.orgName(), subject.email(), scope, secretId, actor == null ? null : actor.id(),
            actor == null ? null : actor.email());
        return new IssuedToken(tokens.sign(claims), lifetime, scope);
    }

    /** Each requested scope must be a permission the account holds; without a scope the token carries all of them. */
    private static String grantedScope(Caller caller, String scope) {
        if (scope == null || scope.isBlank()) return null;
        List<String> requested = Arrays.stream(scope.trim().split("\\s+")).distinct().toList();
        for (String s : requested) {
            if (!caller.holds(s)) throw new OAuthException(OAuthException.INVALID_SCOPE, "The client may not request scope '" + s + "'");
        }
        return String.join(" ", requested);
    }

    /** A client that authenticated with its id and secret at /oauth/introspect or /oauth/revoke. */
    public Caller authenticateClient(String clientId, String clientSecret, String ip) {
        ClientSecretService.Authenticated client = secrets.authenticate(clientId, clientSecret).orElseThrow(OAuthException::invalidClient);
        return verifier.callerFor(client.serviceAccountId(), new CredentialInfo(client.secretId(), CredentialKind.CLIENT_SECRET, null, null), ip)
            .filter(c -> !c.principal().disabled())
            .filter(c -> verifier.addressAllowed(c.principal(), ip))
            .orElseThrow(OAuthException::invalidClient);
    }
}
