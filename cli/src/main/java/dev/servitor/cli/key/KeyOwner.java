// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.key;

import picocli.CommandLine.Option;

/** Whose keys: exactly one of {@code --service-account NAME} or {@code --user USERNAME}. */
final class KeyOwner {
    @Option(names = {"--service-account", "--sa"}, paramLabel = "NAME", required = true, description = "The service account.")
    String serviceAccount;

    @Option(names = "--user", paramLabel = "USERNAME", required = true, description = "A human user's personal keys instead.")
    String user;

    boolean isUser() { return user != null; }
}
