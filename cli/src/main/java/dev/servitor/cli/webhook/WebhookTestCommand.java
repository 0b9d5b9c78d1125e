// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.webhook;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Column;
import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor webhook test ID}: queues a {@code webhook.test} event for this endpoint alone. */
@Command(name = "test", mixinStandardHelpOptions = true,
    description = "Send a webhook.test event to this endpoint (see it with `webhook deliveries`).")
public final class WebhookTestCommand extends ApiCommand {
    @Parameters(paramLabel = "ID") String id;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        out.object(client.send("POST", WebhookPaths.endpoint(id) + "/test", null).object(),
            List.of(Column.field("event_id"), Column.field("type")));
        return OK;
    }
}
