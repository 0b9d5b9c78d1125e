// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;

/** {@code servitor whoami}: who the configured credential stands for. */
@Command(name = "whoami", mixinStandardHelpOptions = true, description = "Show who the credential stands for.")
public final class WhoamiCommand extends ApiCommand {
    @Override
    protected int execute(ServitorClient client, Printer out) {
        out.object(client.whoami().json(), Views.WHOAMI);
        return OK;
    }
}
