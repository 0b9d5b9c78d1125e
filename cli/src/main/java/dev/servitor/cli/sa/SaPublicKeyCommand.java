// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.Column;
import dev.servitor.cli.CommandGroup;
import dev.servitor.sdk.ServitorClient;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code servitor sa public-key}: the public keys a service account authenticates with ({@code private_key_jwt}). */
@Command(name = "public-key", aliases = "public-keys", mixinStandardHelpOptions = true,
    description = "Manage the public keys a service account signs client assertions with (private_key_jwt).",
    subcommands = {SaPublicKeyAddCommand.class, SaPublicKeyListCommand.class, SaPublicKeyRemoveCommand.class})
public final class SaPublicKeyCommand extends CommandGroup {
    /** A public key in a table: its name, type and use; the key material only in JSON and YAML. */
    static final List<Column> VIEW = List.of(Column.field("kid"), Column.field("kty"), Column.field("alg"),
        Column.field("created_at"), Column.field("last_used_at"));

    static String path(String account) {
        return "/v1/service-accounts/" + ServitorClient.seg(account) + "/public-keys";
    }
}
