// SPDX-License-Identifier: Apache-2.0
/**
 * The rows that everything else points at: organizations (with their settings), service accounts
 * and users, as records and table stores. They sit below the features because keys, network
 * policies, compute settings, workspaces and the audit chain refer to them, while the services that
 * manage organizations, accounts and users ({@code org}, {@code account}, {@code user}) also change
 * those features' rows (a deleted account's keys are revoked with it): with the rows here, neither
 * side points back up.
 */
package dev.servitor.directory;
