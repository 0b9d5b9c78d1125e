// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import dev.servitor.config.ServitorConfig;
import dev.servitor.server.config.ConfigKeys;
import dev.servitor.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of the server-side commands that open the store: where it is and which config file to read. */
final class StoreOptions {
    @Option(names = "--data-dir", description = "Directory of the embedded SQLite store (default ./data).")
    Path dataDir;
    @Option(names = "--db-url", description = "PostgreSQL JDBC URL; unset: embedded SQLite.")
    String dbUrl;
    @Option(names = "--config", description = "A properties file of SERVITOR_* keys.")
    Path configFile;

    /** Defaults, the config file, the environment, then these flags and {@code more}; every problem at once. */
    ServitorConfig load(Map<String, String> more) {
        return loadAll(more).config();
    }

    /** As {@link #load}, with the server's own settings (tracing). */
    ConfigLoader.Loaded loadAll(Map<String, String> more) {
        Map<String, String> flags = new HashMap<>(more);
        if (dataDir != null) flags.put(ConfigKeys.DATA_DIR, dataDir.toString());
        if (dbUrl != null) flags.put(ConfigKeys.DB_URL, dbUrl);
        return ConfigLoader.loadAll(configFile, System.getenv(), flags);
    }
}
