// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.key;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.CreatedKey;
import dev.servitor.sdk.NewKey;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code servitor key create --service-account NAME [restrictions]}: the secret is printed once,
 * here, and never again. Restrictions: {@code --permission P}, {@code --allow-ip CIDR} (both
 * repeatable), {@code --rate 100/60s}, {@code --uses N}, {@code --refill N/day}.
 */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create an API key (its secret is printed once).")
public final class KeyCreateCommand extends ApiCommand {
    @ArgGroup(exclusive = true, multiplicity = "1") KeyOwner owner;
    @Option(names = "--name", paramLabel = "N", defaultValue = "default", description = "Key name (default: ${DEFAULT-VALUE}).") String name;
    @Option(names = "--description", paramLabel = "D") String description;
    @Option(names = "--type", paramLabel = "TYPE", description = "read_write (default) or read_scaling.") String type;
    @ArgGroup(exclusive = true) Expiry expiry;
    @Mixin RestrictionOptions restrictions = new RestrictionOptions();

    static final class Expiry {
        @Option(names = "--ttl", paramLabel = "SECONDS", required = true, description = "Expires after this many seconds.") Long ttl;
        @Option(names = "--expires-in-days", paramLabel = "N", required = true, description = "Expires after N days.") Integer days;
    }

    @Override
    protected int execute(ServitorClient client, Printer out) {
        NewKey req = NewKey.named(name).description(description).type(type)
            .ttlSeconds(expiry == null ? null : expiry.ttl).expiresInDays(expiry == null ? null : expiry.days)
            .restrictions(restrictions.members());
        CreatedKey key = owner.isUser() ? client.createUserKey(owner.user, req) : client.createKey(owner.serviceAccount, req);
        out.object(key.json(), Views.CREATED_KEY);
        secretShownOnce("key");
        return OK;
    }
}
