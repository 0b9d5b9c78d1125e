// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import dev.servitor.sdk.ServitorClient;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code servitor secret generate NAME}: a new client secret, printed once; the previous one stops after the grace. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate the service account's OAuth client secret (printed once), replacing the previous one.")
public final class SecretGenerateCommand extends ApiCommand {
    static final List<Column> COLUMNS = List.of(Column.field("client_id"), Column.field("client_secret"));

    @Parameters(paramLabel = "NAME", description = "The service account.") String name;
    @Option(names = "--grace", paramLabel = "SECONDS", description = "How long the previous secret keeps working (default: 0).") Long grace;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        Map<String, Object> body = grace == null ? null : Map.of("grace_seconds", grace);
        out.object(client.send("POST", "/v1/service-accounts/" + ServitorClient.seg(name) + "/secret", body).object(), COLUMNS);
        secretShownOnce("client secret");
        return OK;
    }
}
