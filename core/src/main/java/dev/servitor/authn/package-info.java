// SPDX-License-Identifier: Apache-2.0
/**
 * Credential checking, above every feature whose rows it reads: whether an API key, access token
 * or console session is good and whom it stands for ({@link dev.servitor.authn.CredentialVerifier},
 * the hot path, with its caches and their eviction on every node, {@link dev.servitor.authn.BroadcastInvalidation}),
 * who that is with the permissions it holds now ({@link dev.servitor.authn.PrincipalLoader}),
 * {@code /v1/verify} ({@link dev.servitor.authn.VerificationService}), console log-in
 * ({@link dev.servitor.authn.SessionService}), and the batched last-use times of keys. Federated
 * credentials belong here too.
 */
package dev.servitor.authn;
