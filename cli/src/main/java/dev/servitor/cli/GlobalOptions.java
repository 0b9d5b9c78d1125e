// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import picocli.CommandLine.Option;

/**
 * {@code --url}, {@code --token} and {@code -o}, mixed into the root command, every command group and
 * every client verb, so they may stand anywhere on the line. The value nearest the verb wins; what is
 * not given comes from the environment, then the login config (see {@link Settings}).
 */
public final class GlobalOptions {
    @Option(names = "--url", paramLabel = "URL",
        description = "Servitor's base URL (default: $SERVITOR_URL, then `servitor login`, then http://127.0.0.1:8080).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
        description = "API key or access token (default: $SERVITOR_TOKEN, then `servitor login`).")
    String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "Output: ${COMPLETION-CANDIDATES} (default: table).")
    OutputFormat output;
}
