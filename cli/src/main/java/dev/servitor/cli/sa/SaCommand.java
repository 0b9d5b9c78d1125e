// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code servitor sa}: manage service accounts. */
@Command(name = "sa", aliases = "service-account", mixinStandardHelpOptions = true, description = "Manage service accounts.",
    subcommands = {SaCreateCommand.class, SaListCommand.class, SaGetCommand.class, SaUpdateCommand.class,
        SaDisableCommand.class, SaEnableCommand.class, SaDeleteCommand.class, SaImpersonateCommand.class,
        SaFederateCommand.class, SaFederationsCommand.class, SaUnfederateCommand.class, SaPublicKeyCommand.class})
public final class SaCommand extends CommandGroup {}
