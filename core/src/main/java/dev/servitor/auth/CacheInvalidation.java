// SPDX-License-Identifier: Apache-2.0
package dev.servitor.auth;

import java.util.Collection;

/**
 * What services call after a commit that changes a credential or a principal, so that the
 * very next verification sees the change. Called after commit, never before: an earlier
 * eviction could be refilled from the old row.
 */
public interface CacheInvalidation {
    void keysChanged(Collection<String> secretHashes);

    void principalChanged(String principalId);

    /** Client secrets replaced or revoked: tokens minted with them must be re-checked. */
    void secretsChanged(Collection<String> secretIds);

    /** Access tokens revoked by their {@code jti}. */
    void tokensRevoked(Collection<String> jtis);

    /** A network policy of the organization, or which principal or organization uses which, changed. */
    void networkPoliciesChanged(String orgId);
}
