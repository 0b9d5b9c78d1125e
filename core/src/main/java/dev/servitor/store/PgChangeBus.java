// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store;

import dev.servitor.config.ServitorConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTEN/NOTIFY on channel {@code servitor_changes}. Publishing uses a pooled connection;
 * listening holds one dedicated connection outside the pool, in a loop that reconnects with
 * back-off and reports blindness while it is down.
 */
final class PgChangeBus implements ChangeBus {
    static final String CHANNEL = "servitor_changes";
    private static final Logger LOG = LoggerFactory.getLogger(PgChangeBus.class);
    private static final String CHANGE_NOTIFY = "SELECT pg_notify('" + CHANNEL + "', ?)";
    private static final long PING_EVERY_NANOS = 5_000_000_000L;

    private final DataSource pool;
    private final ServitorConfig.Storage storage;
    private volatile boolean running = true;
    private volatile Connection listening;
    private Thread thread;

    PgChangeBus(DataSource pool, ServitorConfig.Storage storage) {
        this.pool = pool;
        this.storage = storage;
    }

    @Override
    public void publish(String payload) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(CHANGE_NOTIFY)) {
            s.setString(1, payload);
            s.execute();
        } catch (SQLException e) {
            // the change is committed; other nodes' caches still expire within the cache TTL
            LOG.warn("could not announce a change to other nodes: {}", e.toString());
        }
    }

    @Override
    public void listen(Consumer<String> onChange, Consumer<Boolean> onBlind) {
        connect(); // the first connection is made before start-up completes, so no change is missed
        thread = new Thread(() -> loop(onChange, onBlind), "servitor-change-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Consumer<String> onChange, Consumer<Boolean> onBlind) {
        long backoff = 100;
        long lastPing = System.nanoTime();
        while (running) {
            try {
                if (listening == null) {
                    connect();
                    onBlind.accept(false);
                    backoff = 100;
                }
                PGNotification[] ns = listening.unwrap(PGConnection.class).getNotifications(500);
                if (ns != null) for (PGNotification n : ns) onChange.accept(n.getParameter());
                if (System.nanoTime() - lastPing > PING_EVERY_NANOS) {
                    // a silent network failure would otherwise go unnoticed: prove the link is alive
                    try (Statement s = listening.createStatement()) {
                        s.setQueryTimeout(3);
                        s.execute("SELECT 1");
                    }
                    lastPing = System.nanoTime();
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) return;
                onBlind.accept(true);
                LOG.warn("lost the change channel ({}); caches bypassed until it is back", e.toString());
                closeQuietly();
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private void connect() {
        try {
            Properties p = new Properties();
            if (storage.dbUser() != null) p.setProperty("user", storage.dbUser());
            if (storage.dbPassword() != null) p.setProperty("password", storage.dbPassword());
            p.setProperty("ApplicationName", "servitor-listener");
            p.setProperty("tcpKeepAlive", "true");
            Connection c = DriverManager.getConnection(storage.dbUrl(), p);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            }
            listening = c;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot listen on " + CHANNEL + ": " + e.getMessage(), e);
        }
    }

    private void closeQuietly() {
        Connection c = listening;
        listening = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        closeQuietly();
        if (thread != null) thread.interrupt();
    }
}
