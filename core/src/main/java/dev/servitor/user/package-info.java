// SPDX-License-Identifier: Apache-2.0
/**
 * Human users of an organization and their console sessions: their management rules, the e-mail
 * addresses they may hold, log-in, and Argon2id passwords. Service accounts are never users.
 */
package dev.servitor.user;
