// SPDX-License-Identifier: Apache-2.0
/**
 * Workload identity federation: an organization's trusted issuers of workload identity tokens
 * (GitHub Actions, GitLab CI, Kubernetes, SPIFFE, ...), their signing keys fetched and cached
 * under bounds ({@link dev.servitor.federation.IssuerKeys}), the federated credentials of service
 * accounts (audience, subject, claims and a CEL condition a token must satisfy), and the checks of
 * a presented workload token ({@link dev.servitor.federation.WorkloadTokens}). The exchange for an
 * access token, which also needs authentication and issuing, lives in {@code dev.servitor.oauth}.
 */
package dev.servitor.federation;
