// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.federation;

import dev.servitor.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code servitor federation issuer}: create, list and delete trusted issuers (org admins). */
@Command(name = "issuer", aliases = "issuers", mixinStandardHelpOptions = true,
    description = "Manage the organization's federation issuers.",
    subcommands = {IssuerCreateCommand.class, IssuerListCommand.class, IssuerDeleteCommand.class})
public final class IssuerCommand extends CommandGroup {}
