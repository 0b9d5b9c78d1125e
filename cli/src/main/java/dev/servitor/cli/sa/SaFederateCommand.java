// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.cli.federation.FederationPaths;
import dev.servitor.sdk.ServitorClient;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code servitor sa federate NAME --issuer I --audience A [--subject S] [--subject-prefix P] [--condition CEL]}:
 * adds a federated credential (workload identity). The server refuses one that does not pin the
 * tenant on a shared issuer (422 {@code tenant_not_pinned}) or whose condition does not compile (422 with the position).
 */
@Command(name = "federate", mixinStandardHelpOptions = true,
    description = "Let workloads holding a token of ISSUER act as this service account, with no secret.")
public final class SaFederateCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The service account.") String account;
    @Option(names = "--name", paramLabel = "CREDENTIAL",
        description = "The credential's name (default: the issuer's name).") String name;
    @Option(names = "--issuer", paramLabel = "ISSUER", required = true, description = "A federation issuer's name.") String issuer;
    @Option(names = "--audience", paramLabel = "A", required = true, description = "Must be in the token's aud.") String audience;
    @Option(names = "--subject", paramLabel = "S", description = "The token's exact sub.") String subject;
    @Option(names = "--subject-prefix", paramLabel = "P", description = "The start of the token's sub.") String subjectPrefix;
    @Option(names = "--claim", paramLabel = "CLAIM=VALUE", description = "An exact claim match (repeatable).")
    Map<String, String> claims;
    @Option(names = "--condition", paramLabel = "CEL", description = "A CEL expression over claims, e.g. claims.ref == 'refs/heads/main'.")
    String condition;
    @Option(names = "--token-lifetime", paramLabel = "SECONDS", description = "Lifetime of the tokens issued (default 900).")
    Long tokenLifetime;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name == null ? issuer : name);
        body.put("issuer", issuer);
        body.put("audience", audience);
        if (subject != null) body.put("subject", subject);
        if (subjectPrefix != null) body.put("subject_prefix", subjectPrefix);
        if (claims != null) body.put("claims", claims);
        if (condition != null) body.put("condition", condition);
        if (tokenLifetime != null) body.put("token_lifetime_seconds", tokenLifetime);
        out.object(client.send("POST", FederationPaths.credentials(account), body).object(), Views.FEDERATED_CREDENTIAL);
        return OK;
    }
}
