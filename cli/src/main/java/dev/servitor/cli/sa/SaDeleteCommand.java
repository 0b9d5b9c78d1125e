// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor sa delete NAME}: every key, secret and token of the account stops working at once. */
@Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
    description = "Delete a service account; its keys, secret and tokens stop working at once.")
public final class SaDeleteCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME") String name;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        client.deleteServiceAccount(name);
        if (out.isTable()) out.line("Deleted service account " + name);
        return OK;
    }
}
