// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import dev.servitor.crypto.SecretFormat;
import dev.servitor.server.config.ConfigKeys;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints a fresh, well-formed key to use as {@code SERVITOR_ADMIN_TOKEN}. Nothing is stored. */
@Command(name = "admin-token", mixinStandardHelpOptions = true,
    description = "Print a new well-formed API key for SERVITOR_ADMIN_TOKEN (nothing is stored).")
public final class AdminTokenCommand implements Callable<Integer> {
    @Option(names = "--prefix", description = "Key prefix (default: $SERVITOR_KEY_PREFIX or svt).")
    String prefix;

    @Override
    public Integer call() {
        String p = prefix != null ? prefix : System.getenv().getOrDefault(ConfigKeys.KEY_PREFIX, "svt");
        if (!SecretFormat.isValidPrefix(p)) {
            System.err.println("prefix must be 1-16 characters of [A-Za-z0-9]");
            return 2;
        }
        System.out.println(SecretFormat.generate(p));
        return 0;
    }
}
