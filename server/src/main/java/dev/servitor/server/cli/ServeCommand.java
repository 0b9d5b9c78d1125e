// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import dev.servitor.Servitor;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.config.ConfigKeys;
import dev.servitor.server.config.ConfigLoader;
import dev.servitor.server.config.TracingConfig;
import dev.servitor.server.http.ApiServer;
import dev.servitor.server.tracing.Tracing;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        TracingConfig tracingConfig;
        try {
            ConfigLoader.Loaded loaded = store.loadAll(flags);
            config = loaded.config();
            tracingConfig = loaded.tracing();
        } catch (ConfigLoader.InvalidConfig e) {
            System.err.println(e.getMessage());
            return 2;
        }
        // what an operator gets wrong before a start: one line each, not a stack trace
        String refusal = unwritableDataDir(config);
        if (refusal == null) refusal = busyPort(config.http().host(), config.http().port());
        if (refusal == null && config.http().metricsPort() != null) refusal = busyPort(config.http().host(), config.http().metricsPort());
        if (refusal != null) {
            System.err.println("servitor: " + refusal);
            return 2;
        }
        Tracing tracing = Tracing.start(tracingConfig); // Tracing.OFF unless configured: no OpenTelemetry class is loaded then
        Servitor servitor;
        try {
            servitor = Servitor.start(config, Clock.systemUTC(), tracing.storeCalls(config.storage()));
        } catch (RuntimeException e) {
            tracing.close();
            throw e;
        }
        ApiServer server;
        try {
            server = new ApiServer(servitor, tracing).start(config.http().host(), config.http().port());
        } catch (RuntimeException e) {
            servitor.close();
            tracing.close();
            if (!(rootCause(e) instanceof BindException)) throw e;
            // taken between the check above and the start
            System.err.println("servitor: cannot listen on " + config.http().host() + ": " + rootCause(e).getMessage());
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            servitor.close();
            tracing.close(); // last: sends the spans still queued
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

    /** Why the data directory cannot hold what this node writes there, or null when it can. */
    static String unwritableDataDir(ServitorConfig config) {
        Path dir = config.storage().dataDir();
        boolean sqliteFile = config.storage().dbUrl() == null;
        boolean newMasterKey = config.tokens().masterKey() == null && !Files.exists(dir.resolve("master.key"));
        if (!sqliteFile && !newMasterKey) return null;
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".servitor-write-check", ".tmp"));
        } catch (IOException e) {
            return "the data directory " + dir.toAbsolutePath() + " is not writable (" + reason(e)
                + "); point SERVITOR_DATA_DIR or --data-dir at a writable directory";
        }
        Path db = dir.resolve("servitor.db");
        if (sqliteFile && Files.exists(db) && !Files.isWritable(db)) {
            return "the database file " + db.toAbsolutePath() + " is not writable";
        }
        return null;
    }

    /** Why nothing can listen on {@code host:port}, or null when something can (port 0 always can). */
    static String busyPort(String host, int port) {
        if (port == 0) return null;
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Jetty binds: a port whose old connections linger in TIME_WAIT is free
            probe.bind(new InetSocketAddress(host, port));
            return null;
        } catch (BindException e) {
            return "port " + port + " on " + host + " is already in use (" + e.getMessage() + ")";
        } catch (IOException e) {
            return "cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")";
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage();
    }

    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) e = e.getCause();
        return e;
    }
}
