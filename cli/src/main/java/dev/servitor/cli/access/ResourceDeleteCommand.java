// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.access;

import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Parameters;

/** {@code delete NAME}. */
abstract class ResourceDeleteCommand extends ResourceCommand {
    @Parameters(paramLabel = "NAME") String name;

    ResourceDeleteCommand(Resource r) { super(r); }

    @Override
    protected int execute(ServitorClient client, Printer out) {
        client.send("DELETE", itemPath(name), null);
        if (out.isTable()) out.line("Deleted " + resource().noun + " " + name);
        return OK;
    }
}
