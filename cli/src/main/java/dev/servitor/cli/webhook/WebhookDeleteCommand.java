// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.webhook;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor webhook delete ID}: the endpoint and its pending deliveries are gone. */
@Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
    description = "Delete a webhook endpoint and drop its pending deliveries.")
public final class WebhookDeleteCommand extends ApiCommand {
    @Parameters(paramLabel = "ID") String id;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        client.send("DELETE", WebhookPaths.endpoint(id), null);
        if (out.isTable()) out.line("Deleted webhook " + id);
        return OK;
    }
}
