// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.webhook;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;

/** {@code servitor webhook list}: every endpoint of the organization, never a secret. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List webhook endpoints.")
public final class WebhookListCommand extends ApiCommand {
    @Override
    protected int execute(ServitorClient client, Printer out) {
        out.list(WebhookPaths.all(client, WebhookPaths.BASE, "webhooks"), Views.WEBHOOK);
        return OK;
    }
}
