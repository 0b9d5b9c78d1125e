// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.federation;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor federation issuer delete NAME}: refused (409) while a credential still uses it, as the REST call is. */
@Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true, description = "Delete a federation issuer.")
public final class IssuerDeleteCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME") String name;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        client.send("DELETE", FederationPaths.issuer(name), null);
        if (out.isTable()) out.line("Deleted federation issuer " + name);
        return OK;
    }
}
