// SPDX-License-Identifier: Apache-2.0
package dev.servitor.leak;

import dev.servitor.apikey.ApiKey;
import dev.servitor.apikey.ApiKeyStore;
import dev.servitor.audit.AuditLog;
import dev.servitor.caller.Caller;
import dev.servitor.caller.OwnerKind;
import dev.servitor.common.Ids;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.crypto.SecretHash;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.directory.UserStore;
import dev.servitor.oauthclient.ClientSecret;
import dev.servitor.oauthclient.ClientSecretStore;
import dev.servitor.policy.CredentialPolicies;
import dev.servitor.policy.CredentialPolicyStore;
import dev.servitor.policy.OnLeak;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What happens to a credential reported as found in public. A well-formed API key or client
 * secret that matches a stored hash is a true positive; if it is still live it is revoked, or
 * only flagged when its organization's {@code on_leak} is {@code notify}, and either way
 * audited as {@code key.exposed} / {@code secret.exposed} with where it was found. Anything
 * else is a false positive and changes nothing. The caller decides who may learn the verdict:
 * GitHub's signed request does, an anonymous report never does.
 */
public final class LeakResponse {
    /** The longest {@code url} / {@code source} kept in the audit event. */
    static final int MAX_WHERE_CHARS = 512;

    private final Store store;
    private final AuditLog audit;
    private final CacheInvalidation cache;
    private final Clock clock;

    public LeakResponse(Store store, AuditLog audit, CacheInvalidation cache, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.cache = cache;
        this.clock = clock;
    }

    public enum Verdict {
        TRUE_POSITIVE, FALSE_POSITIVE;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A credential found at {@code url} (may be null), reported by {@code source} ("github", "report", or GitHub's own source). */
    public record Report(String credential, String url, String source) {
        @Override
        public String toString() {
            return "Report[url=" + url + ", source=" + source + "]"; // never print the credential
        }
    }

    public Verdict handle(Report report) {
        String presented = report.credential();
        // the checksum rejects almost every non-key without I/O (docs/leaks.md)
        if (presented == null || !SecretFormat.isWellFormed(presented)) return Verdict.FALSE_POSITIVE;
        String hash = SecretHash.sha256Hex(presented);
        return store.write(tx -> {
            Optional<ApiKey> key = tx.table(ApiKeyStore.class).findByHash(hash);
            if (key.isPresent()) {
                exposeKey(tx, key.get(), report);
                return Verdict.TRUE_POSITIVE;
            }
            Optional<ClientSecret> secret = tx.table(ClientSecretStore.class).findByHash(hash);
            if (secret.isPresent()) {
                exposeSecret(tx, secret.get(), report);
                return Verdict.TRUE_POSITIVE;
            }
            return Verdict.FALSE_POSITIVE;
        });
    }

    private void exposeKey(Tx tx, ApiKey key, Report report) {
        Instant now = clock.instant();
        if (!key.isLiveAt(now)) return; // already revoked or expired: a real key, but nothing left to do
        OnLeak onLeak = CredentialPolicies.of(tx, key.orgId()).onLeak();
        if (onLeak == OnLeak.REVOKE) cache.keysChanged(tx, tx.table(ApiKeyStore.class).revoke(key.id(), now));
        String action = record(tx, key.orgId(), key.id(), "api_key", onLeak, report, now);
        Map<String, String> details = details(report, action);
        details.put("key_id", key.id());
        details.put("name", key.name());
        audit.append(tx, key.orgId(), Caller.system(), "key.exposed", ownerTarget(tx, key, now) + "/key:" + key.id(), details);
    }

    private void exposeSecret(Tx tx, ClientSecret secret, Report report) {
        Instant now = clock.instant();
        if (!secret.isLiveAt(now)) return;
        OnLeak onLeak = CredentialPolicies.of(tx, secret.orgId()).onLeak();
        if (onLeak == OnLeak.REVOKE) {
            // revokes the account's live secrets: the leaked one and any predecessor still in its grace
            List<String> revoked = tx.table(ClientSecretStore.class).revokeAllOf(secret.serviceAccountId(), now);
            cache.secretsChanged(tx, revoked);
        }
        String action = record(tx, secret.orgId(), secret.id(), "client_secret", onLeak, report, now);
        Map<String, String> details = details(report, action);
        details.put("secret_id", secret.id());
        String name = tx.table(ServiceAccountStore.class).findById(secret.serviceAccountId(), now).map(ServiceAccount::name)
            .orElse(secret.serviceAccountId());
        audit.append(tx, secret.orgId(), Caller.system(), "secret.exposed", "service_account:" + name, details);
    }

    private static String record(Tx tx, String orgId, String credentialId, String kind, OnLeak onLeak, Report report, Instant now) {
        String action = onLeak == OnLeak.REVOKE ? "revoked" : "flagged";
        tx.table(CredentialPolicyStore.class).recordExposure(new CredentialPolicyStore.Exposure(Ids.newId("exp"), orgId, credentialId,
            kind, action, clip(report.url()), clip(report.source()), now));
        return action;
    }

    private static Map<String, String> details(Report report, String action) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("action", action);
        details.put("url", clip(report.url()));
        details.put("source", clip(report.source()));
        return details;
    }

    private static String ownerTarget(Tx tx, ApiKey key, Instant now) {
        if (key.ownerKind() == OwnerKind.SERVICE_ACCOUNT) {
            return "service_account:" + tx.table(ServiceAccountStore.class).findById(key.ownerId(), now).map(ServiceAccount::name)
                .orElse(key.ownerId());
        }
        return "user:" + tx.table(UserStore.class).findById(key.ownerId()).map(u -> u.username()).orElse(key.ownerId());
    }

    private static String clip(String s) {
        if (s == null) return null;
        return s.length() <= MAX_WHERE_CHARS ? s : s.substring(0, MAX_WHERE_CHARS);
    }
}
