// SPDX-License-Identifier: Apache-2.0
/**
 * Credential policy per organization (docs/api.md "Credential policy"): the longest a new key
 * may live, after how many unused days a key is dormant, what a leak does, and whether a
 * service account needs a network policy to authenticate. Read everywhere through
 * {@link dev.servitor.policy.CredentialPolicies#of}.
 */
package dev.servitor.policy;
