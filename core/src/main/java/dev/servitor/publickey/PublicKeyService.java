// SPDX-License-Identifier: Apache-2.0
package dev.servitor.publickey;

import dev.servitor.audit.AuditEvent;
import dev.servitor.audit.AuditLog;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.caller.Principal;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.ServiceException;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import dev.servitor.token.Issuer;
import dev.servitor.token.OAuthException;
import dev.servitor.token.UsedTokenIdStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Public-key credentials of service accounts ({@code private_key_jwt}): org admins add up to
 * {@link #MAX_PER_ACCOUNT} public keys to an account and remove them; a client then
 * authenticates at the token endpoint with an assertion signed by the private half.
 */
public final class PublicKeyService {
    /** Two: the key in use and its successor, for rotation without downtime. */
    public static final int MAX_PER_ACCOUNT = 2;
    /** The algorithms a client assertion may be signed with (the metadata's {@code token_endpoint_auth_signing_alg_values_supported}). */
    public static final List<String> ALGORITHMS = ClientAssertion.ALGORITHMS;

    private final Store store;
    private final AuditLog audit;
    private final Authorizer authz;
    private final Issuer issuer;
    private final Clock clock;

    public PublicKeyService(Store store, AuditLog audit, Authorizer authz, Issuer issuer, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.authz = authz;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** A client that proved it holds the private half of one of its account's public keys. */
    public record Authenticated(String serviceAccountId, String kid) {}

    /** Adds a public key (a JWK's text, or a PEM block: exactly one) to the account. */
    public PublicKey create(Caller caller, String serviceAccountName, String jwk, String pem) {
        String target = "service_account:" + serviceAccountName;
        authz.requireOrgAdmin(caller, "public_key.create", target);
        authz.requireNotImpersonating(caller, "public_key.create", target);
        if ((jwk == null) == (pem == null)) {
            throw ServiceException.field(jwk == null ? ErrorCode.MISSING_FIELD : ErrorCode.INVALID_VALUE, "jwk",
                "Send the public key as exactly one of 'jwk' (a JSON Web Key) or 'pem' (a PEM 'PUBLIC KEY' block)");
        }
        PublicKeyMaterial m = jwk != null ? PublicKeyMaterial.fromJwk(jwk) : PublicKeyMaterial.fromPem(pem);
        return store.write(tx -> {
            Instant now = clock.instant();
            ServiceAccount sa = lockedAccount(tx, caller, serviceAccountName, now);
            PublicKeyStore keys = tx.table(PublicKeyStore.class);
            List<PublicKey> existing = keys.listFor(sa.id());
            if (existing.stream().anyMatch(k -> k.kid().equals(m.kid()))) {
                throw new ServiceException(ErrorCode.PUBLIC_KEY_EXISTS, "'" + serviceAccountName + "' already has a public key with kid '"
                    + m.kid() + "'");
            }
            if (existing.size() >= MAX_PER_ACCOUNT) {
                throw new ServiceException(ErrorCode.PUBLIC_KEY_LIMIT_REACHED, "A service account holds at most " + MAX_PER_ACCOUNT
                    + " public keys; remove one first");
            }
            PublicKey key = new PublicKey(sa.id(), m.kid(), sa.orgId(), m.kty(), m.alg(), m.publicJwk().toJSONString(), now,
                caller.auditActor(), null);
            if (!keys.insert(key)) {
                throw new ServiceException(ErrorCode.PUBLIC_KEY_EXISTS, "'" + serviceAccountName + "' already has a public key with kid '"
                    + m.kid() + "'");
            }
            audit.append(tx, sa.orgId(), caller, "public_key.create", "service_account:" + sa.name(),
                Map.of("kid", key.kid(), "kty", key.kty(), "alg", key.alg()));
            return key;
        });
    }

    public List<PublicKey> list(Caller caller, String serviceAccountName) {
        authz.requireOrgAdmin(caller, "public_key.list", "service_account:" + serviceAccountName);
        return store.read(tx -> tx.table(PublicKeyStore.class).listFor(account(tx, caller, serviceAccountName, clock.instant()).id()));
    }

    public PublicKey get(Caller caller, String serviceAccountName, String kid) {
        authz.requireOrgAdmin(caller, "public_key.get", "service_account:" + serviceAccountName);
        return store.read(tx -> tx.table(PublicKeyStore.class).find(account(tx, caller, serviceAccountName, clock.instant()).id(), kid))
            .orElseThrow(() -> notFound(serviceAccountName, kid));
    }

    /** Removes the key: assertions it signs are refused from now on (tokens already issued run out). */
    public void delete(Caller caller, String serviceAccountName, String kid) {
        authz.requireOrgAdmin(caller, "public_key.delete", "service_account:" + serviceAccountName);
        store.write(tx -> {
            ServiceAccount sa = lockedAccount(tx, caller, serviceAccountName, clock.instant());
            if (!tx.table(PublicKeyStore.class).delete(sa.id(), kid)) throw notFound(serviceAccountName, kid);
            audit.append(tx, sa.orgId(), caller, "public_key.delete", "service_account:" + sa.name(), Map.of("kid", kid));
            return null;
        });
    }

    /**
     * Checks a client assertion ({@code clientId}: the form's {@code client_id}, or null). Its
     * {@code jti} is claimed, once for all nodes, in the transaction that accepts it, which also
     * records the key's use. Any fault is {@code invalid_client}; when the assertion names an
     * existing account, the reason goes to that organization's audit log
     * ({@code public_key.authenticate}, outcome denied).
     */
    public Authenticated authenticate(String assertion, String clientId, String ip) {
        Instant now = clock.instant();
        ServiceAccount sa = null;
        try {
            ClientAssertion parsed = ClientAssertion.parse(assertion);
            String iss = parsed.claimedClientId();
            if (iss == null || !Ids.isWellFormed("sa", iss)) throw new ClientAssertion.Refused("unknown_client");
            record Account(ServiceAccount sa, List<PublicKey> keys) {}
            Account found = store.read(tx -> tx.table(ServiceAccountStore.class).findById(iss, now)
                .map(a -> new Account(a, tx.table(PublicKeyStore.class).listFor(a.id())))).orElse(null);
            if (found == null) throw new ClientAssertion.Refused("unknown_client");
            sa = found.sa();
            parsed.requireIssEqualsSub();
            if (clientId != null && !clientId.equals(iss)) throw new ClientAssertion.Refused("client_id_mismatch");
            if (found.keys().isEmpty()) throw new ClientAssertion.Refused("no_public_key");
            PublicKey signer = parsed.verify(found.keys(), audiences(), now);
            if (sa.disabled()) throw new ClientAssertion.Refused("account_disabled");
            ServiceAccount account = sa;
            boolean accepted = store.write(tx -> {
                if (!tx.table(UsedTokenIdStore.class).claim(iss, parsed.jti(), parsed.rememberUntil(), now)) return false;
                tx.table(PublicKeyStore.class).touch(account.id(), signer.kid(), now);
                return true;
            });
            if (!accepted) throw new ClientAssertion.Refused("jti_replayed");
            return new Authenticated(sa.id(), signer.kid());
        } catch (ClientAssertion.Refused r) {
            if (sa != null) recordRefusal(sa, r.reason(), ip);
            throw OAuthException.invalidClient();
        }
    }

    /** What an assertion's {@code aud} must name one of: the token endpoint, or the issuer itself. */
    Set<String> audiences() {
        String iss = issuer.url();
        return Set.of(iss, iss + "/oauth/token");
    }

    private void recordRefusal(ServiceAccount sa, String reason, String ip) {
        Caller presenter = new Caller(Principal.system(), null, null, Set.of(), ip); // not authenticated: no principal of its own
        Map<String, String> details = new LinkedHashMap<>();
        details.put("client_id", sa.id());
        details.put("reason", reason);
        store.write(tx -> audit.append(tx, sa.orgId(), presenter, "public_key.authenticate", "service_account:" + sa.name(),
            AuditEvent.DENIED, details));
    }

    private static ServiceAccount account(Tx tx, Caller caller, String name, Instant now) {
        return tx.table(ServiceAccountStore.class).findByName(caller.orgId(), name, now)
            .orElseThrow(() -> new ServiceException(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, "No service account named '" + name + "'"));
    }

    /** The account, its row locked: racing additions run one after another, so the limit holds. */
    private static ServiceAccount lockedAccount(Tx tx, Caller caller, String name, Instant now) {
        Optional<ServiceAccount> sa = tx.table(ServiceAccountStore.class).findByName(caller.orgId(), name, now)
            .filter(found -> tx.table(ServiceAccountStore.class).lock(found.id()));
        return sa.orElseThrow(() -> new ServiceException(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, "No service account named '" + name + "'"));
    }

    private static ServiceException notFound(String account, String kid) {
        return new ServiceException(ErrorCode.PUBLIC_KEY_NOT_FOUND, "'" + account + "' has no public key with kid '" + kid + "'");
    }
}
