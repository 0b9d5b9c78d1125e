// SPDX-License-Identifier: Apache-2.0
/**
 * ES256 access tokens: their claims, signing and checking ({@link dev.servitor.token.AccessTokens}),
 * the signing keys (encrypted at rest under the master key, rotated with the previous key still
 * published), the issuer they name, revoked token ids, and the OAuth error vocabulary. The OAuth
 * operations that issue them are in {@code dev.servitor.oauth}.
 */
package dev.servitor.token;
