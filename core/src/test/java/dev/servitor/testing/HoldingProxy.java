// SPDX-License-Identifier: Apache-2.0
package dev.servitor.testing;

import dev.servitor.config.ServitorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy on a loopback port that can go silent the way a cut network does: while
 * {@link #hold held}, it keeps every connection open and accepts new ones, but forwards no byte
 * in either direction and sends no reset, so neither end learns anything from the socket; while
 * {@link #refuse refusing}, it behaves like a database that went away.
 */
public final class HoldingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean held;
    private volatile boolean refusing;
    private volatile boolean closed;

    public HoldingProxy(String targetHost, int targetPort) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        daemon(this::acceptLoop, "holding-proxy-accept").start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** A proxy in front of the PostgreSQL server of {@code direct}, and that storage reached through it. */
    public record Fronted(HoldingProxy proxy, ServitorConfig.Storage storage) {}

    public static Fronted inFrontOf(ServitorConfig.Storage direct) throws IOException {
        Matcher m = Pattern.compile("//([^:/]+):(\\d+)/").matcher(direct.dbUrl());
        if (!m.find()) throw new IllegalArgumentException("no host and port in the database URL");
        HoldingProxy proxy = new HoldingProxy(m.group(1), Integer.parseInt(m.group(2)));
        String url = direct.dbUrl().replace("//" + m.group(1) + ":" + m.group(2) + "/", "//127.0.0.1:" + proxy.port() + "/");
        return new Fronted(proxy, new ServitorConfig.Storage(direct.dataDir(), url, direct.dbUser(), direct.dbPassword(),
            direct.poolSize()));
    }

    /** Stops forwarding (bytes wait where they are) until {@link #release}. */
    public void hold() {
        held = true;
    }

    /** The database went away: every open connection is closed and new ones are closed at once, until {@link #release}. */
    public void refuse() {
        refusing = true;
        for (Socket s : sockets) closeQuietly(s);
        sockets.clear();
    }

    public void release() {
        refusing = false;
        held = false;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                sockets.add(client);
                daemon(() -> connect(client), "holding-proxy-connect").start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void connect(Socket client) {
        try {
            waitWhileHeld();
            Socket server = new Socket(targetHost, targetPort);
            sockets.add(server);
            daemon(() -> pump(client, server), "holding-proxy-up").start();
            daemon(() -> pump(server, client), "holding-proxy-down").start();
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            while (!closed) {
                waitWhileHeld();
                if (in.available() == 0) {
                    // read only when bytes are there, so a hold never leaves a read in flight
                    from.setSoTimeout(20);
                    try {
                        int first = in.read();
                        if (first < 0) break;
                        waitWhileHeld();
                        out.write(first);
                    } catch (java.net.SocketTimeoutException e) {
                        continue;
                    }
                }
                int n = Math.min(in.available(), buffer.length);
                if (n > 0) {
                    waitWhileHeld();
                    int read = in.read(buffer, 0, n);
                    if (read < 0) break;
                    out.write(buffer, 0, read);
                }
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: close both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void waitWhileHeld() {
        while (held && !closed) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket s : sockets) closeQuietly(s);
    }
}
