// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.webhook;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServitorClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code servitor webhook update ID …}: only the options given change ({@code PATCH}). */
@Command(name = "update", mixinStandardHelpOptions = true, description = "Change a webhook endpoint; only the options given change.")
public final class WebhookUpdateCommand extends ApiCommand {
    @Parameters(paramLabel = "ID") String id;
    // --url is the global option naming the Servitor server, so the endpoint's new address takes another name
    @Option(names = "--endpoint-url", paramLabel = "URL", description = "The endpoint's new URL.") String url;
    @Option(names = "--event", paramLabel = "TYPE", split = ",",
        description = "The event types, replacing the current ones (repeatable).") List<String> events;
    @Option(names = "--description", paramLabel = "D") String description;
    @ArgGroup(exclusive = true) State state;

    static final class State {
        @Option(names = "--enable", required = true, description = "Send events again (also after Servitor disabled it as failing).") boolean enable;
        @Option(names = "--disable", required = true, description = "Stop sending events.") boolean disable;
    }

    @Override
    protected int execute(ServitorClient client, Printer out) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (url != null) body.put("url", url);
        if (events != null) body.put("events", events);
        if (description != null) body.put("description", description);
        if (state != null) body.put("disabled", state.disable);
        if (body.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "Nothing to update: give at least one option");
        out.object(client.send("PATCH", WebhookPaths.endpoint(id), body).object(), Views.WEBHOOK);
        return OK;
    }
}
