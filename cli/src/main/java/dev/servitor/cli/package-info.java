// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code servitor} client commands: one picocli class per verb, each a client of the HTTP API
 * through {@code servitor-sdk} (never of the store). Shared here: the global options
 * ({@code --url}, {@code --token}, {@code -o}), the login config file, output as table, JSON or YAML,
 * and the exit codes (0 success, 1 an error the API returned, 2 a malformed command line).
 */
package dev.servitor.cli;
