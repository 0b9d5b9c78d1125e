// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.webhook;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor webhook deliveries ID}: the endpoint's deliveries, newest first as the API orders them. */
@Command(name = "deliveries", mixinStandardHelpOptions = true, description = "List the deliveries to a webhook endpoint, newest first.")
public final class WebhookDeliveriesCommand extends ApiCommand {
    @Parameters(paramLabel = "ID") String id;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        out.list(WebhookPaths.all(client, WebhookPaths.endpoint(id) + "/deliveries", "deliveries"), Views.DELIVERY);
        return OK;
    }
}
