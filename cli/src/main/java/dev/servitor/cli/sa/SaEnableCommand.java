// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor sa enable NAME}. */
@Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled service account.")
public final class SaEnableCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME") String name;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        out.object(client.enableServiceAccount(name).json(), Views.SERVICE_ACCOUNT);
        return OK;
    }
}
