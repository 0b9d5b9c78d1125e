// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authn;

import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.ChangeBus;
import dev.servitor.store.Tx;
import dev.servitor.token.SigningKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Announces a change to every other node inside the changing transaction ({@link Tx#announce})
 * and evicts this node's caches after it commits; {@link #apply} is the receiving end.
 * Payloads are {@code <kind>:<id>,<id>…} with kinds {@code k} (key hash), {@code p} (principal
 * id), {@code s} (client secret id), {@code t} (token jti), {@code np} (organization id whose
 * network policies changed), {@code fc} (service account id whose federated credentials changed,
 * {@code *} when an issuer did) and {@code sk} (signing keys changed).
 */
public final class BroadcastInvalidation implements CacheInvalidation {
    private static final int MAX_PAYLOAD = 7_000; // PostgreSQL's NOTIFY payload limit is 8000 bytes

    private final CredentialVerifier local;

    public BroadcastInvalidation(CredentialVerifier local) {
        this.local = local;
    }

    @Override
    public void keysChanged(Tx tx, Collection<String> secretHashes) {
        List<String> hashes = List.copyOf(secretHashes);
        tx.afterCommit(() -> local.keysChanged(hashes));
        announce(tx, "k", hashes);
    }

    @Override
    public void principalChanged(Tx tx, String principalId) {
        tx.afterCommit(() -> local.principalChanged(principalId));
        announce(tx, "p", List.of(principalId));
    }

    @Override
    public void secretsChanged(Tx tx, Collection<String> secretIds) {
        List<String> ids = List.copyOf(secretIds);
        tx.afterCommit(() -> local.secretsChanged(ids));
        announce(tx, "s", ids);
    }

    @Override
    public void tokensRevoked(Tx tx, Collection<String> jtis) {
        List<String> ids = List.copyOf(jtis);
        tx.afterCommit(() -> local.tokensRevoked(ids));
        announce(tx, "t", ids);
    }

    @Override
    public void networkPoliciesChanged(Tx tx, String orgId) {
        tx.afterCommit(() -> local.networkPoliciesChanged(orgId));
        announce(tx, "np", List.of(orgId));
    }

    @Override
    public void federationChanged(Tx tx, String serviceAccountId) {
        tx.afterCommit(() -> local.federationChanged(serviceAccountId));
        announce(tx, "fc", List.of(serviceAccountId));
    }

    /** Tells every node to reload its signing keys (after a rotation). */
    public static void signingKeysChanged(ChangeBus bus) {
        bus.publish("sk:");
    }

    private static void announce(Tx tx, String kind, Collection<String> ids) {
        StringBuilder sb = new StringBuilder(kind).append(':');
        int start = sb.length();
        for (String id : ids) {
            if (sb.length() + id.length() + 1 > MAX_PAYLOAD) {
                tx.announce(sb.toString());
                sb.setLength(start);
            }
            if (sb.length() > start) sb.append(',');
            sb.append(id);
        }
        if (sb.length() > start) tx.announce(sb.toString());
    }

    /** Applies a payload another node (or this one) published. Unknown payloads drop every cache. */
    public static void apply(String payload, CredentialVerifier verifier, SigningKeys signingKeys) {
        int colon = payload.indexOf(':');
        String kind = colon < 0 ? "" : payload.substring(0, colon);
        List<String> ids = colon < 0 || colon == payload.length() - 1 ? List.of()
            : new ArrayList<>(Arrays.asList(payload.substring(colon + 1).split(",")));
        switch (kind) {
            case "k" -> verifier.keysChanged(ids);
            case "p" -> ids.forEach(verifier::principalChanged);
            case "s" -> verifier.secretsChanged(ids);
            case "t" -> verifier.tokensRevoked(ids);
            case "np" -> ids.forEach(verifier::networkPoliciesChanged);
            case "fc" -> ids.forEach(verifier::federationChanged);
            case "sk" -> signingKeys.reload();
            default -> verifier.dropAll();
        }
    }
}
