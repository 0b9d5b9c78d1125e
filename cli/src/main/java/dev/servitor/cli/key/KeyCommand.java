// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.key;

import dev.servitor.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code servitor key}: manage API keys. */
@Command(name = "key", aliases = "api-key", mixinStandardHelpOptions = true, description = "Manage API keys.",
    subcommands = {KeyCreateCommand.class, KeyListCommand.class, KeyRevokeCommand.class, KeyRotateCommand.class, KeyUpdateCommand.class})
public final class KeyCommand extends CommandGroup {}
