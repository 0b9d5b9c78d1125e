// SPDX-License-Identifier: Apache-2.0
/**
 * Credential verification, the hot path: who an API key or access token stands for (a
 * {@link dev.servitor.caller.Caller} holding its principal and permissions), {@code /v1/verify}, the
 * caches of verified state and their eviction on every node when a credential or principal changes.
 */
package dev.servitor.authn;
