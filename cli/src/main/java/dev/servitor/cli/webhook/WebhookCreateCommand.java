// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.webhook;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServitorClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code servitor webhook create URL --event TYPE…}: the signing secret is printed once, here, and never again. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Subscribe a URL to events (its signing secret is printed once).")
public final class WebhookCreateCommand extends ApiCommand {
    @Parameters(paramLabel = "URL") String url;
    @Option(names = "--event", paramLabel = "TYPE", required = true, split = ",",
        description = "An event type, e.g. key.created, or * for all (repeatable).") List<String> events;
    @Option(names = "--description", paramLabel = "D") String description;
    @Option(names = "--disabled", description = "Create it disabled: nothing is sent until it is enabled.") boolean disabled;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("events", events);
        if (description != null) body.put("description", description);
        if (disabled) body.put("disabled", true);
        out.object(client.send("POST", WebhookPaths.BASE, body).object(), Views.CREATED_WEBHOOK);
        secretShownOnce("signing secret");
        return OK;
    }
}
