// SPDX-License-Identifier: Apache-2.0
package dev.servitor.policy;

import java.time.Instant;
import java.util.Optional;

/** Rows of {@code credential_policies} (and {@code credential_exposures}, the flags leaks leave). */
public interface CredentialPolicyStore {
    Optional<CredentialPolicy> find(String orgId);
    void put(String orgId, CredentialPolicy policy, Instant now);

    void recordExposure(Exposure exposure);
    /** Whether a credential was ever reported as leaked (a flag under on_leak notify). */
    boolean exposed(String credentialId);

    record Exposure(String id, String orgId, String credentialId, String kind, String action, String url, String source, Instant foundAt) {}
}
