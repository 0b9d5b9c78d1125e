// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor sa get NAME}. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show a service account.")
public final class SaGetCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME") String name;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        out.object(client.getServiceAccount(name).json(), Views.SERVICE_ACCOUNT);
        return OK;
    }
}
