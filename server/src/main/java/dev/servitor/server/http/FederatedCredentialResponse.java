// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.federation.FederatedCredential;
import dev.servitor.federation.FederationService;
import java.time.Instant;
import java.util.Map;

/** A federated credential as the API shows it. */
public record FederatedCredentialResponse(String id, String name, String issuer, String audience, String subject,
                                          String subjectPrefix, Map<String, String> claims, String condition,
                                          long tokenLifetimeSeconds, Instant lastUsedAt, Instant createdAt, Instant updatedAt,
                                          String createdBy) {
    static FederatedCredentialResponse of(FederationService.Named n) {
        FederatedCredential c = n.credential();
        return new FederatedCredentialResponse(c.id(), c.name(), n.issuer(), c.audience(), c.subject(), c.subjectPrefix(),
            c.claims(), c.condition(), c.tokenLifetimeSeconds(), c.lastUsedAt(), c.createdAt(), c.updatedAt(), c.createdBy());
    }
}
