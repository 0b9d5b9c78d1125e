// SPDX-License-Identifier: Apache-2.0
/**
 * Service accounts, the machine identities of an organization: their management rules
 * ({@link dev.servitor.account.ServiceAccountService}), the requests that create and change them, and
 * what the verifier reads of them.
 */
package dev.servitor.account;
