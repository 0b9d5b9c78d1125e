// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.federation.FederationPaths;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor sa unfederate NAME CREDENTIAL}: tokens already issued through it live out their (short) lifetime. */
@Command(name = "unfederate", mixinStandardHelpOptions = true, description = "Remove a federated credential from a service account.")
public final class SaUnfederateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME") String account;
    @Parameters(index = "1", paramLabel = "CREDENTIAL") String credential;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        client.send("DELETE", FederationPaths.credential(account, credential), null);
        if (out.isTable()) out.line("Removed federated credential " + credential + " from " + account);
        return OK;
    }
}
