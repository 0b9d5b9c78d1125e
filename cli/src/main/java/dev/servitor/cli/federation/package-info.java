// SPDX-License-Identifier: Apache-2.0
/**
 * {@code servitor federation issuer …}: the organization's trusted issuers of workload identity
 * tokens ({@code /v1/federation/issuers}). Credentials on service accounts are under {@code servitor sa federate}.
 */
package dev.servitor.cli.federation;
