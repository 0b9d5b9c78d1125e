// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.federation.FederationIssuer;
import java.time.Instant;

/** A federation issuer as the API shows it; {@code jwks} is the inline key set (public keys only), or null. */
public record IssuerResponse(String id, String name, String issuerUrl, String jwksUri, JsonNode jwks, long maxTokenAgeSeconds,
                             boolean requireJti, Instant createdAt, Instant updatedAt, String createdBy) {
    static IssuerResponse of(FederationIssuer i) {
        JsonNode jwks;
        try {
            jwks = i.jwks() == null ? null : Json.MAPPER.readTree(i.jwks());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored key set is not JSON", e);
        }
        return new IssuerResponse(i.id(), i.name(), i.issuerUrl(), i.jwksUri(), jwks, i.maxTokenAgeSeconds(), i.requireJti(),
            i.createdAt(), i.updatedAt(), i.createdBy());
    }
}
