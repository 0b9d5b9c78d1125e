// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import dev.servitor.Servitor;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.config.ConfigKeys;
import dev.servitor.server.config.ConfigLoader;
import dev.servitor.server.http.ApiServer;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code servitor serve}: open the store, seed it on first start, listen. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Servitor server.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "TCP port (default 8080; 0 picks a free one).")
    Integer port;
    @Option(names = "--host", description = "Interface to listen on (default 127.0.0.1).")
    String host;
    @Mixin
    StoreOptions store;
    @Option(names = "--train-and-exit", hidden = true,
        description = "Start a throwaway server, call its main endpoints once, stop (for a class-data archive; see TrainingRun).")
    boolean trainAndExit;

    /** True after a {@code --train-and-exit} run: nothing is left serving. */
    public boolean trainedAndStopped() {
        return trainAndExit;
    }

    @Override
    public Integer call() {
        if (trainAndExit) return TrainingRun.run();
        long started = System.nanoTime();
        Map<String, String> flags = new HashMap<>();
        if (port != null) flags.put(ConfigKeys.PORT, port.toString());
        if (host != null) flags.put(ConfigKeys.HOST, host);
        ServitorConfig config;
        try {
            config = store.load(flags);
        } catch (ConfigLoader.InvalidConfig e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Servitor servitor = Servitor.start(config, Clock.systemUTC());
        ApiServer server = new ApiServer(servitor).start(config.http().host(), config.http().port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            servitor.close();
        }, "servitor-shutdown"));
        String url = "http://" + config.http().host() + ":" + server.port();
        servitor.generatedAdminKey().ifPresent(key -> {
            System.out.println("Created organization 'default' and user 'admin' (" + config.identity().adminEmail() + ").");
            System.out.println("Admin API key: " + key);
            System.out.println("This key will not be shown again: store it now (e.g. export SERVITOR_TOKEN=...).");
        });
        System.out.printf("Servitor listening on %s (%s store), ready in %d ms%n", url,
            config.storage().isPostgres() ? "PostgreSQL" : "SQLite", (System.nanoTime() - started) / 1_000_000);
        System.out.flush();
        return 0;
    }
}
