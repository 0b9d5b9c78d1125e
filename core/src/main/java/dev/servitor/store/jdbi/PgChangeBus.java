// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.config.ServitorConfig;
import dev.servitor.store.ChangeBus;
import dev.servitor.store.Tx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTEN/NOTIFY on channel {@code servitor_changes}. Changes are announced inside their own
 * transactions ({@link Tx#announce}); {@link #publish} is for the rare announcement that has no
 * transaction (signing keys rotated by the CLI). Listening holds one dedicated connection
 * outside the pool, in a loop that reconnects with back-off and reports blindness while it is down.
 * <p>
 * A silent network cut (packets dropped, no reset) must not leave this node trusting its caches:
 * the loop proves the link alive with a query every {@link #PING_EVERY_NANOS}, every read on the
 * connection times out after {@link #LINK_TIMEOUT_SECONDS}, and a watchdog that sees no proof of
 * life for {@link #DEAF_AFTER_NANOS} reports blindness itself and aborts the connection, so the
 * node goes blind within that bound whatever the driver does.
 */
final class PgChangeBus implements ChangeBus {
    static final String CHANNEL = "servitor_changes";
    private static final Logger LOG = LoggerFactory.getLogger(PgChangeBus.class);
    private static final String CHANGE_NOTIFY = "SELECT pg_notify('" + CHANNEL + "', ?)";
    static final long PING_EVERY_NANOS = 2_000_000_000L;
    static final int LINK_TIMEOUT_SECONDS = 4;
    static final long DEAF_AFTER_NANOS = 8_000_000_000L;

    private final DataSource pool;
    private final ServitorConfig.Storage storage;
    private volatile boolean running = true;
    private volatile Connection listening;
    /** When the listening connection last proved alive; read by the watchdog. */
    private volatile long aliveAt = System.nanoTime();
    private Thread thread;
    private ScheduledExecutorService watchdog;

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
            LOG.warn("could not announce a change to other nodes: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void listen(Consumer<String> onChange, Consumer<Boolean> onBlind) {
        connect(); // the first connection is made before start-up completes, so no change is missed
        thread = new Thread(() -> loop(onChange, onBlind), "servitor-change-listener");
        thread.setDaemon(true);
        thread.start();
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "servitor-change-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(() -> watch(onBlind), 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Goes blind and cuts the connection when the listener has shown no sign of life for too long. */
    private void watch(Consumer<Boolean> onBlind) {
        Connection c = listening;
        if (c == null || System.nanoTime() - aliveAt <= DEAF_AFTER_NANOS) return;
        onBlind.accept(true);
        LOG.warn("the change channel has been silent for {} s; caches bypassed until it is back", DEAF_AFTER_NANOS / 1_000_000_000L);
        try {
            c.abort(Runnable::run); // wakes the listener's blocked read; it then reconnects
        } catch (SQLException | RuntimeException e) {
            LOG.debug("abort of the listening connection failed: {}", e.getClass().getSimpleName());
        }
        aliveAt = System.nanoTime(); // one report per silence; the loop reports again if the reconnect fails
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
                        s.execute("SELECT 1");
                    }
                    lastPing = System.nanoTime();
                    aliveAt = lastPing;
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) return;
                onBlind.accept(true);
                LOG.warn("lost the change channel ({}); caches bypassed until it is back", e.getClass().getSimpleName());
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
            // every read, the log-in included, gives up instead of waiting on a link that went silent
            p.setProperty("socketTimeout", Integer.toString(LINK_TIMEOUT_SECONDS));
            p.setProperty("connectTimeout", Integer.toString(LINK_TIMEOUT_SECONDS));
            p.setProperty("loginTimeout", Integer.toString(LINK_TIMEOUT_SECONDS));
            Connection c = DriverManager.getConnection(storage.dbUrl(), p);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            }
            aliveAt = System.nanoTime();
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
        if (watchdog != null) watchdog.shutdownNow();
        closeQuietly();
        if (thread != null) thread.interrupt();
    }
}
