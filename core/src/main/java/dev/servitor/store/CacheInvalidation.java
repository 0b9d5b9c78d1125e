// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store;

import java.util.Collection;

/**
 * What services call inside the transaction that changes a credential or a principal, so that
 * the very next verification sees the change on every node. Other nodes are told by the
 * transaction itself (delivered at commit, never without it); this node's caches are evicted
 * after the commit, never before: an earlier eviction could be refilled from the old row.
 */
public interface CacheInvalidation {
    /** Passed to {@link #principalChanged} when a change may affect any principal's permissions. */
    String ALL = "*";

    void keysChanged(Tx tx, Collection<String> secretHashes);

    /** {@link #ALL} when a role, group or organization setting changed. */
    void principalChanged(Tx tx, String principalId);

    /** Client secrets replaced or revoked: tokens minted with them must be re-checked. */
    void secretsChanged(Tx tx, Collection<String> secretIds);

    /** Access tokens revoked by their {@code jti}. */
    void tokensRevoked(Tx tx, Collection<String> jtis);

    /** A network policy of the organization, or which principal or organization uses which, changed. */
    void networkPoliciesChanged(Tx tx, String orgId);

    /**
     * A federated credential of the service account changed (created, patched, deleted), or with
     * {@link #ALL} an issuer did: the next exchange reads them again.
     */
    void federationChanged(Tx tx, String serviceAccountId);
}
