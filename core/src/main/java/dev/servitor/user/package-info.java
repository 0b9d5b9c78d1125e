// SPDX-License-Identifier: Apache-2.0
/**
 * Human users of an organization: their management rules, the e-mail addresses they may hold,
 * Argon2id passwords, and their console sessions' rows. Service accounts are never users. The user
 * record and its table store are in {@code dev.servitor.directory}; log-in is in {@code dev.servitor.authn}.
 */
package dev.servitor.user;
