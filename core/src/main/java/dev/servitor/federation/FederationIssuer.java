// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import java.time.Instant;

/**
 * A trusted issuer of workload identity tokens. {@code issuerUrl} is compared exactly with a
 * token's {@code iss}. Keys come from {@code jwks} when set (nothing is fetched), else from
 * {@code jwksUri}, else from the issuer's discovery document.
 */
public record FederationIssuer(String id, String orgId, String name, String issuerUrl, String jwksUri, String jwks,
                               long maxTokenAgeSeconds, boolean requireJti, Instant createdAt, Instant updatedAt,
                               String createdBy) {}
