// SPDX-License-Identifier: Apache-2.0
/**
 * OAuth 2.0 for service accounts: client_credentials grants, token exchange, introspection and
 * revocation; ES256 access tokens, their signing keys (encrypted at rest under the master key) and
 * the issuer they name.
 */
package dev.servitor.token;
