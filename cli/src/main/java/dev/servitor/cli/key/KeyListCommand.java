// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.key;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ApiKey;
import dev.servitor.sdk.ServitorClient;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

/** {@code servitor key list --service-account NAME}: live keys, never a secret. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List live API keys (never their secrets).")
public final class KeyListCommand extends ApiCommand {
    @ArgGroup(exclusive = true, multiplicity = "1") KeyOwner owner;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        List<ApiKey> keys = owner.isUser() ? client.listUserKeys(owner.user) : client.listKeys(owner.serviceAccount);
        out.list(keys.stream().map(ApiKey::json).toList(), Views.KEY);
        return OK;
    }
}
