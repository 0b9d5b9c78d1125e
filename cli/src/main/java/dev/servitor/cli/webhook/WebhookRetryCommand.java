// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.webhook;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor webhook retry ID DELIVERY_ID}: the delivery is due now (a failed one gets another day of retries). */
@Command(name = "retry", mixinStandardHelpOptions = true, description = "Send a delivery again now.")
public final class WebhookRetryCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Parameters(index = "1", paramLabel = "DELIVERY_ID") String deliveryId;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        String path = WebhookPaths.endpoint(id) + "/deliveries/" + ServitorClient.seg(deliveryId) + "/retry";
        out.object(client.send("POST", path, null).object(), Views.DELIVERY);
        return OK;
    }
}
