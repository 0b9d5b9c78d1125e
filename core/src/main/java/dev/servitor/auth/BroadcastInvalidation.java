// SPDX-License-Identifier: Apache-2.0
package dev.servitor.auth;

import dev.servitor.store.ChangeBus;
import dev.servitor.token.SigningKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Evicts this node's caches and announces the change to every other node on the
 * {@link ChangeBus}; {@link #apply} is the receiving end. Payloads are {@code <kind>:<id>,<id>…}
 * with kinds {@code k} (key hash), {@code p} (principal id), {@code s} (client secret id),
 * {@code t} (token jti), {@code np} (organization id whose network policies changed) and
 * {@code sk} (signing keys changed).
 */
public final class BroadcastInvalidation implements CacheInvalidation {
    private static final int MAX_PAYLOAD = 7_000; // PostgreSQL's NOTIFY payload limit is 8000 bytes

    private final CredentialVerifier local;
    private final ChangeBus bus;

    public BroadcastInvalidation(CredentialVerifier local, ChangeBus bus) {
        this.local = local;
        this.bus = bus;
    }

    @Override
    public void keysChanged(Collection<String> secretHashes) {
        local.keysChanged(secretHashes);
        publish("k", secretHashes);
    }

    @Override
    public void principalChanged(String principalId) {
        local.principalChanged(principalId);
        publish("p", List.of(principalId));
    }

    @Override
    public void secretsChanged(Collection<String> secretIds) {
        local.secretsChanged(secretIds);
        publish("s", secretIds);
    }

    @Override
    public void tokensRevoked(Collection<String> jtis) {
        local.tokensRevoked(jtis);
        publish("t", jtis);
    }

    @Override
    public void networkPoliciesChanged(String orgId) {
        local.networkPoliciesChanged(orgId);
        publish("np", List.of(orgId));
    }

    /** Tells every node to reload its signing keys (after a rotation). */
    public static void signingKeysChanged(ChangeBus bus) {
        bus.publish("sk:");
    }

    private void publish(String kind, Collection<String> ids) {
        StringBuilder sb = new StringBuilder(kind).append(':');
        int start = sb.length();
        for (String id : ids) {
            if (sb.length() + id.length() + 1 > MAX_PAYLOAD) {
                bus.publish(sb.toString());
                sb.setLength(start);
            }
            if (sb.length() > start) sb.append(',');
            sb.append(id);
        }
        if (sb.length() > start) bus.publish(sb.toString());
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
            case "sk" -> signingKeys.reload();
            default -> verifier.dropAll();
        }
    }
}
