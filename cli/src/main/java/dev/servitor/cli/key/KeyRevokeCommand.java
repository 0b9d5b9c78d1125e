// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.key;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code servitor key revoke --service-account NAME KEY_ID}: that key alone stops working. */
@Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API key; it stops working at once.")
public final class KeyRevokeCommand extends ApiCommand {
    @ArgGroup(exclusive = true, multiplicity = "1") KeyOwner owner;
    @Parameters(paramLabel = "KEY_ID") String keyId;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        if (owner.isUser()) client.revokeUserKey(owner.user, keyId);
        else client.revokeKey(owner.serviceAccount, keyId);
        if (out.isTable()) out.line("Revoked key " + keyId);
        return OK;
    }
}
