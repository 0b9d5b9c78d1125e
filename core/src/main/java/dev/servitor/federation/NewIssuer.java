// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

/**
 * An issuer to create, or (as a patch) the fields to change: null leaves a field as it is; an
 * empty {@code jwksUri} or {@code jwks} clears it. {@code jwks} is the JSON text of a JWK set.
 */
public record NewIssuer(String name, String issuerUrl, String jwksUri, String jwks, Long maxTokenAgeSeconds, Boolean requireJti) {}
