// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.access;

import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Parameters;

/** {@code get NAME}. */
abstract class ResourceGetCommand extends ResourceCommand {
    @Parameters(paramLabel = "NAME") String name;

    ResourceGetCommand(Resource r) { super(r); }

    @Override
    protected int execute(ServitorClient client, Printer out) {
        show(out, client.send("GET", itemPath(name), null).object());
        return OK;
    }
}
