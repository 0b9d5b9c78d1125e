// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.webhook;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor webhook get ID}. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show a webhook endpoint.")
public final class WebhookGetCommand extends ApiCommand {
    @Parameters(paramLabel = "ID") String id;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        out.object(client.send("GET", WebhookPaths.endpoint(id), null).object(), Views.WEBHOOK);
        return OK;
    }
}
