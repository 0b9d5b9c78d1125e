// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import java.util.Map;

/**
 * A federated credential to create, or (as a patch) the fields to change: null leaves a field as
 * it is; an empty {@code subject}, {@code subjectPrefix} or {@code condition} clears it, and an
 * empty {@code claims} map clears the claim matches.
 */
public record NewFederatedCredential(String name, String issuer, String audience, String subject, String subjectPrefix,
                                     Map<String, String> claims, String condition, Long tokenLifetimeSeconds) {}
