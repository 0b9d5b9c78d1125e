// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.NewServiceAccount;
import dev.servitor.sdk.ServiceAccount;
import dev.servitor.sdk.ServitorClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code servitor sa create NAME}: with {@code --issue-key}, the new key's secret is printed once. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a service account.")
public final class SaCreateCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "1-63 characters of [A-Za-z0-9_-], starting with a letter or digit.")
    String name;
    @Option(names = "--description", paramLabel = "D") String description;
    @Option(names = "--role", paramLabel = "R", description = "Role (default: user).") String role;
    @Option(names = "--group", paramLabel = "G", description = "A group (repeatable).") List<String> groups;
    @Option(names = "--network-policy", paramLabel = "P") String networkPolicy;
    @Option(names = "--org-admin", description = "Make it an organization admin.") boolean orgAdmin;
    @Option(names = "--issue-key", description = "Also mint a key named 'default' (printed once).") boolean issueKey;
    @Option(names = "--if-not-exists", description = "Succeed with the existing account if the name is taken.") boolean ifNotExists;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        ServiceAccount sa = client.createServiceAccount(NewServiceAccount.named(name).description(description).role(role)
            .groups(groups).networkPolicy(networkPolicy).orgAdmin(orgAdmin ? Boolean.TRUE : null).issueKey(issueKey)
            .ifNotExists(ifNotExists));
        out.object(sa.json(), Views.SERVICE_ACCOUNT);
        if (sa.issuedKey() != null) {
            if (out.isTable()) out.line("KEY " + sa.issuedKey().key());
            secretShownOnce("key");
        }
        return OK;
    }
}
