// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.webhook;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor webhook rotate-secret ID}: a new signing secret, printed once; the old one still signs for 24 h. */
@Command(name = "rotate-secret", mixinStandardHelpOptions = true,
    description = "Replace the signing secret (printed once); deliveries carry both signatures for 24 hours.")
public final class WebhookRotateSecretCommand extends ApiCommand {
    @Parameters(paramLabel = "ID") String id;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        out.object(client.send("POST", WebhookPaths.endpoint(id) + "/rotate-secret", null).object(), Views.CREATED_WEBHOOK);
        secretShownOnce("signing secret");
        return OK;
    }
}
