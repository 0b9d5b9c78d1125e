// SPDX-License-Identifier: Apache-2.0
/**
 * The OAuth 2.0 operations for service accounts ({@link dev.servitor.oauth.TokenService}):
 * client_credentials grants, impersonation and RFC 8693 token exchange, introspection (RFC 7662)
 * and revocation (RFC 7009); and workload identity federation's exchange
 * ({@link dev.servitor.oauth.FederatedExchange}), which needs both the checks of a workload token and the issuing. Above credential checking, which every one of them starts with.
 */
package dev.servitor.oauth;
