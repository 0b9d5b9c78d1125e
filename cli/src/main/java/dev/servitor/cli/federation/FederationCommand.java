// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.federation;

import dev.servitor.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code servitor federation}: workload identity federation (keyless service accounts). */
@Command(name = "federation", mixinStandardHelpOptions = true,
    description = "Workload identity federation: the issuers whose tokens service accounts may accept.",
    subcommands = IssuerCommand.class)
public final class FederationCommand extends CommandGroup {}
