// SPDX-License-Identifier: Apache-2.0
package dev.servitor.oauth;

import dev.servitor.audit.AuditLog;
import dev.servitor.authn.CredentialVerifier;
import dev.servitor.authn.Verification;
import dev.servitor.authn.VerificationCode;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.caller.CredentialInfo;
import dev.servitor.caller.CredentialKind;
import dev.servitor.caller.FederatedIdentity;
import dev.servitor.caller.Principal;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.ServiceException;
import dev.servitor.config.ServitorConfig;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.oauthclient.ClientSecretService;
import dev.servitor.org.OrgService;
import dev.servitor.publickey.PublicKeyService;
import dev.servitor.org.UsageCounters;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import dev.servitor.token.AccessTokens;
import dev.servitor.token.IssuedToken;
import dev.servitor.token.OAuthException;
import dev.servitor.token.RevokedTokenStore;
import dev.servitor.token.UsedTokenIdStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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
    private final Authorizer authz;
    private final CacheInvalidation cache;
    private final Clock clock;
    private final ServitorConfig.Tokens settings;
    private final OrgService orgs;
    private final UsageCounters usage;

    public TokenService(Store store, ClientSecretService secrets, CredentialVerifier verifier, AccessTokens tokens, AuditLog audit, Authorizer authz,
                        CacheInvalidation cache, Clock clock, ServitorConfig.Tokens settings, OrgService orgs, UsageCounters usage) {
        this.orgs = orgs;
        this.usage = usage;
        this.store = store;
        this.secrets = secrets;
        this.verifier = verifier;
        this.tokens = tokens;
        this.audit = audit;
        this.authz = authz;
        this.cache = cache;
        this.clock = clock;
        this.settings = settings;
    }

    /** The longest audience (or resource) a token may be asked for. */
    static final int MAX_AUDIENCE_LENGTH = 255;
    /** RFC 6749 section 3.3: scope tokens are printable ASCII without space, {@code "} and {@code \}; spaces separate them. */
    private static final Pattern SCOPE = Pattern.compile("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]*");

    /**
     * What a client asks a token for, each parameter as sent, null when absent: an audience
     * (RFC 8693), a resource (RFC 8707; the audience when no audience is given) and a scope.
     */
    public record Requested(String audience, String resource, String scope) {
        public static final Requested NOTHING = new Requested(null, null, null);
    }

    /**
     * RFC 6749 section 4.4. Any fault of the client authentication is the same {@code invalid_client};
     * what the client asks for is checked only once it has authenticated.
     */
    public IssuedToken clientCredentials(String clientId, String clientSecret, Requested requested, String ip) {
        ClientSecretService.Authenticated client = secrets.authenticate(clientId, clientSecret)
            .orElseThrow(OAuthException::invalidClient);
        return grant(client.serviceAccountId(), client.secretId(), Map.of(), requested, ip);
    }

    /**
     * RFC 6749 section 4.4 with {@code private_key_jwt} client authentication (RFC 7523 section
     * 2.2): {@code client} has already proven it holds one of its account's private keys. The
     * token names no secret, so it lives until it expires (or is revoked), as an impersonation's does.
     */
    public IssuedToken clientCredentials(PublicKeyService.Authenticated client, Requested requested, String ip) {
        return grant(client.serviceAccountId(), null, Map.of("client_auth", "private_key_jwt", "kid", client.kid()), requested, ip);
    }

    private IssuedToken grant(String serviceAccountId, String secretId, Map<String, String> how, Requested requested, String ip) {
        Caller caller = verifier.callerFor(serviceAccountId, null, ip).orElseThrow(OAuthException::invalidClient);
        if (caller.principal().disabled()) throw OAuthException.invalidClient(); // disabled looks like any other failure
        if (verifier.networkPolicyMissing(caller.principal())) {
            throw new OAuthException(OAuthException.ACCESS_DENIED,
                "network_policy_required: the organization's credential policy requires a network policy for this client");
        }
        if (!verifier.addressAllowed(caller.principal(), ip)) {
            // the client proved who it is, so it may learn that its address is what is refused
            throw new OAuthException(OAuthException.ACCESS_DENIED, "A network policy does not allow this client address");
        }
        String audience = audience(requested);
        String granted = grantedScope(caller, requested.scope());
        long lifetime = Math.min(orgs.settings(caller.orgId()).accessTokenLifetimeSeconds(), settings.maxLifetimeSeconds());
        usage.count(caller.orgId(), UsageCounters.TOKEN_GRANTS);
        IssuedToken issued = issue(caller.principal(), audience, granted, secretId, null, lifetime);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("grant_type", "client_credentials");
        details.put("audience", audience);
        details.put("scope", granted);
        details.putAll(how);
        audit.appendLater(caller.orgId(), caller, "token.issue", "service_account:" + caller.principal().name(), details);
        return issued;
    }

    /** MotherDuck's impersonation: an org admin of the account's organization acts as it for two hours. */
    public IssuedToken impersonate(Caller admin, String serviceAccountName) {
        authz.requireImpersonationStart(admin, "service_account:" + serviceAccountName);
        ServiceAccount sa = store.read(tx -> tx.table(ServiceAccountStore.class).findByName(admin.orgId(), serviceAccountName, clock.instant()))
            .orElseThrow(() -> new ServiceException(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, "No service account named '" + serviceAccountName + "'"));
        return startImpersonation(admin, sa, Requested.NOTHING);
    }

    /**
     * RFC 8693 token exchange for impersonation: the admin's own credential is the actor token,
     * the service account's client id the subject. The token may be asked for an audience and a
     * narrower scope, as a client credentials grant may.
     */
    public IssuedToken exchange(String actorToken, String subjectClientId, Requested requested, String ip) {
        Verification actor = verifier.authenticate(actorToken, ip);
        if (actor.code() == VerificationCode.IP_NOT_ALLOWED) {
            throw new OAuthException(OAuthException.ACCESS_DENIED, "A network policy does not allow this client address");
        }
        if (!actor.valid()) throw new OAuthException(OAuthException.INVALID_GRANT, "The actor token is not valid");
        Caller admin = actor.caller();
        try {
            authz.requireImpersonationStart(admin, "service_account:" + (Ids.isWellFormed("sa", subjectClientId) ? subjectClientId : "(invalid id)"));
        } catch (ServiceException refused) {
            // recorded as the API's refusal is; this grant answers in RFC 6749's terms
            throw new OAuthException(OAuthException.ACCESS_DENIED, "Only an org admin may impersonate a service account");
        }
        ServiceAccount sa = store.read(tx -> tx.table(ServiceAccountStore.class).findById(subjectClientId, clock.instant()))
            .filter(s -> s.orgId().equals(admin.orgId()))
            .orElseThrow(() -> new OAuthException(OAuthException.INVALID_GRANT, "No such service account in your organization"));
        return startImpersonation(admin, sa, requested);
    }

    private IssuedToken startImpersonation(Caller admin, ServiceAccount sa, Requested requested) {
        if (sa.disabled()) throw new ServiceException(ErrorCode.FORBIDDEN, "'" + sa.name() + "' is disabled");
        Caller subject = verifier.callerFor(sa.id(), null, admin.ip()).orElseThrow();
        String audience = audience(requested);
        String granted = grantedScope(subject, requested.scope());
        long lifetime = settings.impersonationSeconds();
        usage.count(admin.orgId(), UsageCounters.TOKEN_GRANTS);
        IssuedToken issued = issue(subject.principal(), audience, granted, null, admin.principal(), lifetime);
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
        if (!v.valid() || !authz.mayIntrospect(caller, v.caller())) return new Introspection(false, null, null, v.code());
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
        if (!authz.mayRevokeToken(caller, subject.get())) return; // RFC 7009: say nothing about tokens the caller may not revoke
        store.write(tx -> {
            tx.table(RevokedTokenStore.class).insert(c.jti(), subject.get().orgId(), c.expiresAt(), clock.instant());
            audit.append(tx, subject.get().orgId(), caller, "token.revoke", "service_account:" + subject.get().name(),
                Map.of("jti", c.jti()));
            cache.tokensRevoked(tx, List.of(c.jti()));
            return null;
        });
    }

    /** Forgets revocations, and ids accepted once, of tokens that have expired anyway. */
    public int pruneRevoked() {
        return store.write(tx -> tx.table(RevokedTokenStore.class).deleteExpired(clock.instant())
            + tx.table(UsedTokenIdStore.class).deleteExpired(clock.instant()));
    }

    /** The audience and scope a client asked for, checked ({@code invalid_target}, {@code invalid_scope}) before anything is spent. */
    record Target(String audience, String scope) {}

    Target target(Caller subject, Requested requested) {
        return new Target(audience(requested), grantedScope(subject, requested.scope()));
    }

    /** A token for a workload that proved itself with an identity token ({@link FederatedExchange}); its claim {@code fed} says how. */
    IssuedToken issueFederated(Caller subject, Target target, FederatedIdentity federation, long lifetime) {
        usage.count(subject.orgId(), UsageCounters.TOKEN_GRANTS);
        return issue(subject.principal(), target.audience(), target.scope(), null, null, lifetime, federation);
    }

    private IssuedToken issue(Principal subject, String audience, String scope, String secretId, Principal actor, long lifetime) {
        return issue(subject, audience, scope, secretId, actor, lifetime, null);
    }

    private IssuedToken issue(Principal subject, String audience, String scope, String secretId, Principal actor, long lifetime,
                              FederatedIdentity federation) {
        Instant now = clock.instant();
        Instant exp = now.plusSeconds(lifetime);
        String issuer = tokens.issuer().url();
        List<String> aud = List.of(audience != null ? audience : issuer);
        AccessTokens.Claims claims = new AccessTokens.Claims(Ids.newId("jti"), subject.id(), issuer, aud, now, exp,
            subject.orgName(), subject.email(), scope, secretId, actor == null ? null : actor.id(),
            actor == null ? null : actor.email(), federation);
        return new IssuedToken(tokens.sign(claims), lifetime, scope);
    }

    /**
     * The one audience asked for (an audience, a resource, or both the same), or null for the
     * issuer. Anything else is {@code invalid_target}: several targets, a resource that is not an
     * absolute URI without fragment, or a value past {@link #MAX_AUDIENCE_LENGTH} printable ASCII
     * characters.
     */
    private static String audience(Requested requested) {
        String audience = emptyToNull(requested.audience());
        String resource = emptyToNull(requested.resource());
        if (resource != null && !isResource(resource)) {
            throw new OAuthException(OAuthException.INVALID_TARGET, "A resource must be an absolute URI without a fragment");
        }
        if (audience != null && resource != null && !audience.equals(resource)) {
            throw new OAuthException(OAuthException.INVALID_TARGET, "Ask for one target: an audience or a resource, not two");
        }
        String target = audience != null ? audience : resource;
        if (target != null && (target.length() > MAX_AUDIENCE_LENGTH || !target.chars().allMatch(c -> c > 0x20 && c < 0x7F))) {
            throw new OAuthException(OAuthException.INVALID_TARGET,
                "An audience is at most " + MAX_AUDIENCE_LENGTH + " printable ASCII characters, without spaces");
        }
        return target;
    }

    private static boolean isResource(String s) {
        try {
            URI u = new URI(s);
            return u.isAbsolute() && u.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * Each requested scope must be a permission the account holds; without a scope (or an empty
     * one) the token carries all of them. A scope of anything but RFC 6749 scope tokens, or of
     * spaces only, is {@code invalid_scope}.
     */
    private static String grantedScope(Caller caller, String scope) {
        if (scope == null || scope.isEmpty()) return null;
        if (!SCOPE.matcher(scope).matches() || scope.isBlank()) {
            throw new OAuthException(OAuthException.INVALID_SCOPE, "The scope must be scope tokens separated by spaces (RFC 6749 section 3.3)");
        }
        List<String> requested = Arrays.stream(scope.trim().split(" +")).distinct().toList();
        for (String s : requested) {
            if (!caller.holds(s)) throw new OAuthException(OAuthException.INVALID_SCOPE, "The client may not request scope '" + s + "'");
        }
        return String.join(" ", requested);
    }

    /** A client that authenticated with a private_key_jwt assertion at /oauth/introspect or /oauth/revoke. */
    public Caller authenticatedClient(PublicKeyService.Authenticated client, String ip) {
        return verifier.callerFor(client.serviceAccountId(), new CredentialInfo(client.kid(), CredentialKind.PRIVATE_KEY_JWT, null, null), ip)
            .filter(c -> !c.principal().disabled())
            .filter(c -> !verifier.networkPolicyMissing(c.principal()))
            .filter(c -> verifier.addressAllowed(c.principal(), ip))
            .orElseThrow(OAuthException::invalidClient);
    }

    /** A client that authenticated with its id and secret at /oauth/introspect or /oauth/revoke. */
    public Caller authenticateClient(String clientId, String clientSecret, String ip) {
        ClientSecretService.Authenticated client = secrets.authenticate(clientId, clientSecret).orElseThrow(OAuthException::invalidClient);
        return verifier.callerFor(client.serviceAccountId(), new CredentialInfo(client.secretId(), CredentialKind.CLIENT_SECRET, null, null), ip)
            .filter(c -> !c.principal().disabled())
            .filter(c -> !verifier.networkPolicyMissing(c.principal()))
            .filter(c -> verifier.addressAllowed(c.principal(), ip))
            .orElseThrow(OAuthException::invalidClient);
    }
}
