// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor sa public-key list NAME}. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List a service account's public keys.")
public final class SaPublicKeyListCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The service account.") String name;

    @Override
    @SuppressWarnings("unchecked")
    protected int execute(ServitorClient client, Printer out) {
        List<Map<String, Object>> keys = new ArrayList<>(); // at most two: one answer, no pages
        if (client.send("GET", SaPublicKeyCommand.path(name), null).object().get("public_keys") instanceof List<?> l) {
            for (Object o : l) if (o instanceof Map<?, ?> m) keys.add((Map<String, Object>) m);
        }
        out.list(keys, SaPublicKeyCommand.VIEW);
        return OK;
    }
}
