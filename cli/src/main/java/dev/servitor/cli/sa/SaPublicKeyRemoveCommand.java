// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor sa public-key remove NAME KID}: assertions signed with that key are refused from now on. */
@Command(name = "remove", aliases = "rm", mixinStandardHelpOptions = true,
    description = "Remove a public key; assertions it signs are refused at once.")
public final class SaPublicKeyRemoveCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The service account.") String name;
    @Parameters(index = "1", paramLabel = "KID", description = "The key's kid (see `servitor sa public-key list`).") String kid;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        client.send("DELETE", SaPublicKeyCommand.path(name) + "/" + ServitorClient.seg(kid), null);
        if (out.isTable()) out.line("Removed public key " + kid + " of " + name);
        return OK;
    }
}
