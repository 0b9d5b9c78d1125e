// SPDX-License-Identifier: Apache-2.0
package dev.servitor.oauth;

import dev.servitor.audit.AuditLog;
import dev.servitor.authn.CredentialVerifier;
import dev.servitor.caller.Caller;
import dev.servitor.caller.FederatedIdentity;
import dev.servitor.caller.PrincipalType;
import dev.servitor.common.Ids;
import dev.servitor.federation.FederationRefusal;
import dev.servitor.federation.FederationService;
import dev.servitor.store.Store;
import dev.servitor.token.IssuedToken;
import dev.servitor.token.OAuthException;
import dev.servitor.token.UsedTokenIdStore;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.servitor.org.OrgService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Workload identity federation's exchange (RFC 8693 token exchange with a JWT subject token, or
 * an RFC 7523 JWT bearer grant): a workload presents the identity token its platform gave it and
 * the service account's id, and gets a short-lived access token with no secret stored anywhere.
 * <p>
 * The account must exist, be enabled, and be let in by the network policies (and have one when
 * the organization's credential policy requires it); then the token must satisfy one of the
 * account's federated credentials ({@link FederationService#match}). Its {@code jti} is claimed
 * (when the issuer requires it), the credential's {@code last_used_at} set and the success
 * audited in one transaction; without a {@code jti} to claim, {@code last_used_at} is written at
 * most every {@link #TOUCH_EVERY} per node and the event queued like a grant's. Every failure is the same {@code invalid_grant}: the reason goes to
 * the audit event {@code federation.exchange} (outcome {@code denied}) only.
 */
public final class FederatedExchange {
    static final String ACTION = "federation.exchange";
    /** The one description of every refusal: which check failed is for the audit log, not for the presenter. */
    static final String REFUSED = "The workload token is not accepted for this client";
    /**
     * How often a node writes a credential's {@code last_used_at}: an exchange whose issuer needs
     * no {@code jti} claim then runs no transaction (its audit event is queued with the grants').
     */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final Store store;
    private final FederationService federation;
    private final TokenService tokens;
    private final CredentialVerifier verifier;
    private final AuditLog audit;
    private final Clock clock;
    private final OrgService orgs;
    /** When this node last wrote each credential's {@code last_used_at}; bounded, as the credentials are. */
    private final Cache<String, Instant> touchedCache = Caffeine.newBuilder().maximumSize(100_000).build();
    private final Map<String, Instant> touched = touchedCache.asMap();

    public FederatedExchange(Store store, FederationService federation, TokenService tokens, CredentialVerifier verifier,
                             AuditLog audit, OrgService orgs, Clock clock) {
        this.orgs = orgs;
        this.store = store;
        this.federation = federation;
        this.tokens = tokens;
        this.verifier = verifier;
        this.audit = audit;
        this.clock = clock;
    }

    /** An access token for service account {@code clientId}, or {@code invalid_grant}. */
    public IssuedToken exchange(String clientId, String workloadToken, TokenService.Requested requested, String ip) {
        Optional<Caller> found = Ids.isWellFormed("sa", clientId) ? verifier.callerFor(clientId, null, ip) : Optional.empty();
        Caller account = found.filter(c -> c.principal().type() == PrincipalType.SERVICE_ACCOUNT)
            .orElseThrow(FederatedExchange::refused); // no account: no organization to record it in
        String target = "service_account:" + account.principal().name();
        try {
            if (account.principal().disabled()) throw new FederationRefusal("account_disabled");
            if (verifier.networkPolicyMissing(account.principal())) throw new FederationRefusal("network_policy_required");
            if (!verifier.addressAllowed(account.principal(), ip)) throw new FederationRefusal("ip_not_allowed");
            FederationService.Match m = federation.match(account.principal().id(), workloadToken, verifier.exchangeCandidates());
            TokenService.Target asked = tokens.target(account, requested);
            FederatedIdentity fed = new FederatedIdentity(m.issuer().name(), m.subject(), m.credential().name());
            Instant now = clock.instant();
            long lifetime = Math.min(federation.tokenLifetime(m.credential()), orgs.settings(account.orgId()).accessTokenLifetimeSeconds());
            if (!m.issuer().requireJti() && !touchDue(m.credential().id(), now)) {
                // nothing to claim and last_used_at fresh: no transaction on the hot path, the event goes with the batched grants
                audit.appendLater(account.orgId(), account, ACTION, target, details(fed, null));
                return tokens.issueFederated(account, asked, fed, lifetime);
            }
            store.write(tx -> {
                if (m.issuer().requireJti()) {
                    String jti = m.claims().getJWTID();
                    if (jti == null || jti.isEmpty() || jti.length() > 255) throw new FederationRefusal("jti_missing");
                    Date exp = m.claims().getExpirationTime();
                    // the id is kept until the token has expired (with the clock skew allowed), then its expiry refuses it anyway
                    if (!tx.table(UsedTokenIdStore.class).claim(m.issuer().issuerUrl(), jti, exp.toInstant().plusSeconds(60), now)) {
                        throw new FederationRefusal("jti_replayed");
                    }
                }
                FederationService.touch(tx, m.credential(), now);
                audit.append(tx, account.orgId(), account, ACTION, target, details(fed, null));
                return null;
            });
            touched.put(m.credential().id(), now);
            return tokens.issueFederated(account, asked, fed, lifetime);
        } catch (FederationRefusal r) {
            audit.deniedWithDetails(account.orgId(), account, ACTION, target, details(null, r.reason()));
            throw refused();
        }
    }

    /** True if this node last wrote the credential's {@code last_used_at} {@link #TOUCH_EVERY} ago or more (or never). */
    private boolean touchDue(String credentialId, Instant now) {
        Instant last = touched.get(credentialId);
        return last == null || !now.isBefore(last.plus(TOUCH_EVERY));
    }

    private static Map<String, String> details(FederatedIdentity fed, String reason) {
        Map<String, String> d = new LinkedHashMap<>();
        if (reason != null) d.put("reason", reason);
        if (fed != null) {
            d.put("issuer", fed.issuer());
            d.put("subject", fed.subject() == null ? "" : fed.subject());
            d.put("credential", fed.credential());
        }
        return d;
    }

    private static OAuthException refused() {
        return new OAuthException(OAuthException.INVALID_GRANT, REFUSED);
    }
}
