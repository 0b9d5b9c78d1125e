// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import picocli.CommandLine.Command;

/** {@code servitor secret}: OAuth client secrets of service accounts. */
@Command(name = "secret", mixinStandardHelpOptions = true, description = "Manage OAuth client secrets.",
    subcommands = SecretGenerateCommand.class)
public final class SecretCommand extends CommandGroup {}
