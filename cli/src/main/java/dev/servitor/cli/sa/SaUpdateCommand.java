// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServiceAccountUpdate;
import dev.servitor.sdk.ServitorClient;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code servitor sa update NAME …}: only the options given change. */
@Command(name = "update", mixinStandardHelpOptions = true, description = "Change a service account; only the options given change.")
public final class SaUpdateCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--name", paramLabel = "NEW", description = "Rename it.") String newName;
    @Option(names = "--description", paramLabel = "D") String description;
    @Option(names = "--role", paramLabel = "R") String role;
    @Option(names = "--group", paramLabel = "G", description = "The groups, replacing the current ones (repeatable).") List<String> groups;
    @Option(names = "--network-policy", paramLabel = "P") String networkPolicy;
    @Option(names = "--no-network-policy", description = "Remove the network policy.") boolean noNetworkPolicy;
    @Option(names = "--org-admin", negatable = true, description = "Grant (or, with --no-org-admin, take away) org admin.") Boolean orgAdmin;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        if (networkPolicy != null && noNetworkPolicy) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--network-policy and --no-network-policy are mutually exclusive");
        }
        ServiceAccountUpdate u = ServiceAccountUpdate.create().name(newName).description(description).role(role).groups(groups)
            .networkPolicy(networkPolicy).orgAdmin(orgAdmin);
        if (noNetworkPolicy) u.clearNetworkPolicy();
        if (u.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "Nothing to update: give at least one option");
        out.object(client.updateServiceAccount(name, u).json(), Views.SERVICE_ACCOUNT);
        return OK;
    }
}
