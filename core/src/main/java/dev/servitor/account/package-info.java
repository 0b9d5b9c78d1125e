// SPDX-License-Identifier: Apache-2.0
/**
 * Service accounts, the machine identities of an organization: their management rules
 * ({@link dev.servitor.account.ServiceAccountService}) and the requests that create and change them.
 * The record and its table store are in {@code dev.servitor.directory}.
 */
package dev.servitor.account;
