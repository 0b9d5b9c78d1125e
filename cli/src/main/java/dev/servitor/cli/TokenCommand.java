// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import dev.servitor.sdk.ServitorClient;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code servitor token --client-id ID --client-secret S}: the OAuth client-credentials grant; the token is printed once. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Get an access token with a service account's client id and secret (client credentials grant).")
public final class TokenCommand extends ApiCommand {
    @Option(names = "--client-id", paramLabel = "ID", required = true) String clientId;
    @Option(names = "--client-secret", paramLabel = "S", required = true) String clientSecret;
    @Option(names = "--audience", paramLabel = "A") String audience;
    @Option(names = "--scope", paramLabel = "SCOPE") String scope;

    @Override
    protected boolean needsToken() { return false; } // the client secret is the credential here

    @Override
    protected int execute(ServitorClient client, Printer out) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("audience", audience);
        form.put("scope", scope);
        out.object(client.sendForm("/oauth/token", form).object(), Views.ACCESS_TOKEN);
        secretShownOnce("access token");
        return OK;
    }
}
