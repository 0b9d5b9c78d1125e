// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import dev.servitor.sdk.ServitorClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code servitor token --client-id ID --client-secret S}: the OAuth client-credentials grant; or
 * {@code servitor token --federated-token FILE --service-account ID|NAME}: RFC 8693 token exchange
 * of a workload's identity token (no Servitor secret at all). The access token is printed once.
 * <p>
 * An account's name means nothing without an organization, so a name is resolved to its id with
 * {@code GET /v1/service-accounts/{name}} under the configured credential, and is a usage error
 * without one. The exchange itself never carries that credential: the workload's token is the
 * credential there.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = {"Get an access token: with a service account's client id and secret (client credentials grant),",
        "or by exchanging a workload's identity token (GitHub Actions, GitLab, Kubernetes, SPIFFE, ...) with no secret."})
public final class TokenCommand extends ApiCommand {
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    /** The shape of a service account's id (the server's {@code Ids}): a name of that shape is taken as an id. */
    private static final Pattern ID = Pattern.compile("sa_[0-9A-Za-z]{22}");
    /** A JWT is far shorter; this only stops a wrong file (an image, a log) from being read whole. */
    private static final int MAX_TOKEN_BYTES = 64 * 1024;

    @Option(names = "--client-id", paramLabel = "ID") String clientId;
    @Option(names = "--client-secret", paramLabel = "S") String clientSecret;
    @Option(names = "--federated-token", paramLabel = "FILE",
        description = "A file holding the workload's JWT, or - for standard input.") String federatedToken;
    @Option(names = "--service-account", paramLabel = "ID|NAME",
        description = {"With --federated-token: the service account's id (sa_...), its OAuth client id;",
            "or its name, resolved with the configured credential (--token, SERVITOR_TOKEN, servitor login)."}) String serviceAccount;
    @Option(names = "--audience", paramLabel = "A") String audience;
    @Option(names = "--scope", paramLabel = "SCOPE") String scope;

    @Override
    protected boolean needsToken() { return false; } // the client secret, or the workload's token, is the credential here

    @Override
    protected int execute(ServitorClient client, Printer out) {
        Map<String, String> form = new LinkedHashMap<>();
        if (federatedToken != null) {
            if (serviceAccount == null) throw usage("--federated-token needs --service-account");
            if (clientId != null || clientSecret != null) throw usage("--federated-token excludes --client-id and --client-secret");
            String accountId = accountId(client);
            String jwt = readToken();
            if (jwt.isEmpty()) throw usage("--federated-token " + federatedToken + " is empty");
            form.put("grant_type", TOKEN_EXCHANGE);
            form.put("subject_token_type", JWT_TOKEN_TYPE);
            form.put("subject_token", jwt);
            form.put("client_id", accountId);
            client = ServitorClient.builder().url(settings().url()).build();
        } else {
            if (clientId == null || clientSecret == null) {
                throw usage("Missing required options: --client-id and --client-secret, or --federated-token and --service-account");
            }
            if (serviceAccount != null) throw usage("--service-account goes with --federated-token");
            form.put("grant_type", "client_credentials");
            form.put("client_id", clientId);
            form.put("client_secret", clientSecret);
        }
        form.put("audience", audience);
        form.put("scope", scope);
        out.object(client.sendForm("/oauth/token", form).object(), Views.ACCESS_TOKEN);
        secretShownOnce("access token");
        return OK;
    }

    /** {@code --service-account} as an id: itself when it has an id's shape, else the id of the account so named. */
    private String accountId(ServitorClient client) {
        if (ID.matcher(serviceAccount).matches()) return serviceAccount;
        if (settings().token() == null) {
            throw usage("--service-account " + serviceAccount + " is not an id (sa_...): resolving a name needs a credential"
                + " (--token, SERVITOR_TOKEN or `servitor login`); without one, pass the account's id");
        }
        return client.getServiceAccount(serviceAccount).id();
    }

    private String readToken() {
        byte[] bytes;
        try {
            if (federatedToken.equals("-")) {
                bytes = System.in.readNBytes(MAX_TOKEN_BYTES + 1);
            } else {
                try (InputStream in = Files.newInputStream(Path.of(federatedToken))) {
                    bytes = in.readNBytes(MAX_TOKEN_BYTES + 1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --federated-token " + federatedToken + ": " + e, e);
        }
        if (bytes.length > MAX_TOKEN_BYTES) throw usage("--federated-token " + federatedToken + " is larger than 64 KiB: not a JWT");
        return new String(bytes, StandardCharsets.UTF_8).strip();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
