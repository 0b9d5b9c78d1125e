// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.cli.federation.FederationPaths;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor sa federations NAME}: the account's federated credentials, with when each was last used. */
@Command(name = "federations", aliases = "workload-identities", mixinStandardHelpOptions = true,
    description = "List a service account's federated credentials (workload identities).")
public final class SaFederationsCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME") String account;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        out.list(FederationPaths.all(client, FederationPaths.credentials(account), "federated_credentials"), Views.FEDERATED_CREDENTIAL);
        return OK;
    }
}
