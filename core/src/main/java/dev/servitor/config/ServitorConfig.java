// SPDX-License-Identifier: Apache-2.0
package dev.servitor.config;

import java.nio.file.Path;
import java.util.List;

/**
 * All settings of one Servitor node, immutable and validated once at start-up.
 * {@code ConfigLoader} (server module) fills it from defaults, a file, the environment and
 * flags, in that order; every key is documented in docs/configuration.md.
 */
public record ServitorConfig(Http http, Storage storage, Credentials credentials, Identity identity) {

    /** Where the server listens and how it sees clients. */
    public record Http(String host, int port, String publicUrl, List<String> trustedProxies) {}

    /** The embedded SQLite file lives in {@code dataDir} unless {@code dbUrl} names PostgreSQL. */
    public record Storage(Path dataDir, String dbUrl, String dbUser, String dbPassword, int poolSize) {
        public boolean isPostgres() {
            return dbUrl != null && dbUrl.startsWith("jdbc:postgresql:");
        }
    }

    /** Key formats and per-owner limits. */
    public record Credentials(String keyPrefix, String secretPrefix, int maxKeysPerServiceAccount, int maxKeysPerUser) {}

    /** The synthetic e-mail domain of service accounts and the bootstrap admin. */
    public record Identity(String serviceAccountEmailDomain, String adminEmail, String adminToken) {}

    public static ServitorConfig defaults() {
        return new ServitorConfig(
            new Http("127.0.0.1", 8080, null, List.of()),
            new Storage(Path.of("data"), null, null, null, 10),
            new Credentials("svt", "svs", 50, 5),
            new Identity("servitor.local", "admin@localhost", null));
    }

    public ServitorConfig withHttp(Http h) { return new ServitorConfig(h, storage, credentials, identity); }
    public ServitorConfig withStorage(Storage s) { return new ServitorConfig(http, s, credentials, identity); }
    public ServitorConfig withCredentials(Credentials c) { return new ServitorConfig(http, storage, c, identity); }
    public ServitorConfig withIdentity(Identity i) { return new ServitorConfig(http, storage, credentials, i); }
}
