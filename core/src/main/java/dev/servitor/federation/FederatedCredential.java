// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import java.time.Instant;
import java.util.Map;

/**
 * What a workload token must carry to stand for a service account: its issuer's token, with
 * {@code audience} in {@code aud}, and each of {@code subject}, {@code subjectPrefix}, {@code claims}
 * (exact matches) and {@code condition} (CEL over {@code claims}) that is set.
 */
public record FederatedCredential(String id, String orgId, String serviceAccountId, String issuerId, String name,
                                  String audience, String subject, String subjectPrefix, Map<String, String> claims,
                                  String condition, long tokenLifetimeSeconds, Instant lastUsedAt, Instant createdAt,
                                  Instant updatedAt, String createdBy) {
    public FederatedCredential {
        claims = Map.copyOf(claims);
    }
}
