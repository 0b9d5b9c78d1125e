// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor sa impersonate NAME}: an access token acting as the account, with the admin as actor (printed once). */
@Command(name = "impersonate", mixinStandardHelpOptions = true,
    description = "Get an access token that acts as the service account, with you as the audited actor.")
public final class SaImpersonateCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME") String name;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        var r = client.send("POST", "/v1/service-accounts/" + ServitorClient.seg(name) + "/impersonate", null);
        out.object(r.object(), Views.ACCESS_TOKEN);
        secretShownOnce("access token");
        return OK;
    }
}
