// SPDX-License-Identifier: Apache-2.0
/**
 * The server-side verbs of {@code servitor}: {@code serve}, {@code signing-keys}, which works on the
 * store directly, and {@code admin-token}, which prints a fresh key to use as the bootstrap token.
 */
package dev.servitor.server.cli;
