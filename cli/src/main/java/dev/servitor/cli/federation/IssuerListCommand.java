// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.federation;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;

/** {@code servitor federation issuer list}. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the organization's federation issuers.")
public final class IssuerListCommand extends ApiCommand {
    @Override
    protected int execute(ServitorClient client, Printer out) {
        out.list(FederationPaths.all(client, FederationPaths.ISSUERS, "issuers"), Views.FEDERATION_ISSUER);
        return OK;
    }
}
