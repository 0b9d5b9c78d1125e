// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import dev.servitor.authn.BroadcastInvalidation;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.config.ConfigLoader;
import dev.servitor.store.jdbi.Database;
import dev.servitor.token.MasterKey;
import dev.servitor.token.SigningKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code servitor signing-keys list|rotate}: works on the store directly (run it where the
 * server's configuration is). A rotation makes a new key current; the old one stays in the
 * JWKS until its last token has expired. Running nodes pick the new key up within 30 s.
 */
@Command(name = "signing-keys", mixinStandardHelpOptions = true,
    description = "List or rotate the JWT signing keys (operates on the store directly).")
public final class SigningKeysCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "list | rotate")
    String action;
    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        if (!action.equals("list") && !action.equals("rotate")) {
            System.err.println("signing-keys: expected 'list' or 'rotate', got '" + action + "'");
            return 2;
        }
        ServitorConfig config;
        try {
            config = store.load(Map.of());
        } catch (ConfigLoader.InvalidConfig e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try (Database db = Database.open(config.storage())) {
            MasterKey master = config.tokens().masterKey() != null ? MasterKey.fromBase64(config.tokens().masterKey())
                : MasterKey.fromFile(config.storage().dataDir());
            SigningKeys keys = new SigningKeys(db.store(), master, Clock.systemUTC(), Duration.ofSeconds(config.tokens().maxLifetimeSeconds()));
            if (action.equals("rotate")) {
                keys.ensureCurrent();
                System.out.println("new current signing key: " + keys.rotate());
                BroadcastInvalidation.signingKeysChanged(db.changes()); // running PostgreSQL nodes reload at once
            } else {
                keys.reload();
            }
            System.out.printf("%-28s %-8s %-24s %s%n", "KID", "ALG", "CREATED", "RETIRED");
            for (SigningKeys.Loaded k : keys.all()) {
                System.out.printf("%-28s %-8s %-24s %s%n", k.kid(), "ES256", k.key().getIssueTime().toInstant(),
                    k.retiredAt() == null ? "(current)" : k.retiredAt());
            }
        }
        return 0;
    }
}
