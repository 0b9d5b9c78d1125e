// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.org;

import dev.servitor.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code servitor org}: the caller's organization. */
@Command(name = "org", mixinStandardHelpOptions = true, description = "Your organization's settings.",
    subcommands = OrgPolicyCommand.class)
public final class OrgCommand extends CommandGroup {}
