// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.federation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServitorClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code servitor federation issuer create NAME --issuer-url URL [--jwks-uri URL | --jwks-file FILE]}.
 * The JWKS file's text is sent as it is: the server parses and validates it (422 naming {@code jwks}).
 */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Trust an issuer of workload identity tokens (GitHub Actions, GitLab, a Kubernetes cluster, SPIRE, ...).")
public final class IssuerCreateCommand extends ApiCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--issuer-url", paramLabel = "URL", required = true,
        description = "The exact 'iss' of the tokens, e.g. https://token.actions.githubusercontent.com.") String issuerUrl;
    @Option(names = "--jwks-uri", paramLabel = "URL",
        description = "Where the signing keys are (default: from the issuer's discovery document).") String jwksUri;
    @Option(names = "--jwks-file", paramLabel = "FILE",
        description = "A JWK set to use inline, for a private cluster (e.g. the output of kubectl get --raw /openid/v1/jwks).")
    Path jwksFile;
    @Option(names = "--max-token-age", paramLabel = "SECONDS",
        description = "Refuse tokens issued longer ago than this (default 3600).") Long maxTokenAge;
    @Option(names = "--require-jti", description = "Accept each token's jti once, cluster-wide.") boolean requireJti;

    @Override
    protected int execute(ServitorClient client, Printer out) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("issuer_url", issuerUrl);
        if (jwksUri != null) body.put("jwks_uri", jwksUri);
        if (jwksFile != null) {
            try {
                body.put("jwks", JSON.readValue(Files.readString(jwksFile), Object.class));
            } catch (JsonProcessingException e) {
                err().println("Error: --jwks-file " + jwksFile + " is not JSON (line " + e.getLocation().getLineNr() + ")");
                return API_ERROR;
            }
        }
        if (maxTokenAge != null) body.put("max_token_age_seconds", maxTokenAge);
        if (requireJti) body.put("require_jti", true);
        out.object(client.send("POST", FederationPaths.ISSUERS, body).object(), Views.FEDERATION_ISSUER);
        return OK;
    }
}
