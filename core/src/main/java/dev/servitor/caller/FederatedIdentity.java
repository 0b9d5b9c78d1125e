// SPDX-License-Identifier: Apache-2.0
package dev.servitor.caller;

/**
 * Where an access token obtained by workload identity federation came from: the issuer's name,
 * the workload token's {@code sub}, and the federated credential's name. Carried in the token as
 * its {@code fed} claim and shown wherever the token's credential is described.
 */
public record FederatedIdentity(String issuer, String subject, String credential) {}
