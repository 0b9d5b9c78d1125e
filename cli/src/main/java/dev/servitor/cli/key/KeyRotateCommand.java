// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.key;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.CreatedKey;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code servitor key rotate --service-account NAME KEY_ID [--grace SECONDS]}: a new key, printed once. */
@Command(name = "rotate", mixinStandardHelpOptions = true,
    description = "Replace an API key with a new one (printed once); the old one stops after the grace period.")
public final class KeyRotateCommand extends ApiCommand {
    @ArgGroup(exclusive = true, multiplicity = "1") KeyOwner owner;
    @Parameters(paramLabel = "KEY_ID") String keyId;
    @Option(names = "--grace", paramLabel = "SECONDS", description = "How long the old key keeps working (default: 0).") Long grace;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        CreatedKey key = owner.isUser() ? client.rotateUserKey(owner.user, keyId, grace)
            : client.rotateKey(owner.serviceAccount, keyId, grace);
        out.object(key.json(), Views.CREATED_KEY);
        secretShownOnce("key");
        return OK;
    }
}
