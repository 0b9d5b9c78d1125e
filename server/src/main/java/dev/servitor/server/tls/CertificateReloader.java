// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves TLS from {@code SERVITOR_TLS_CERT} and {@code SERVITOR_TLS_KEY} and picks up renewed files
 * without a restart: every {@link #CHECK_SECONDS} it compares a digest of both files' contents
 * with the last one served (a renewal may keep the size and, on some file systems, the time), and when they changed and the new pair is valid, new handshakes use it (open connections
 * keep theirs). An invalid pair (say, the certificate written but not yet its key) is logged and
 * the current one kept; the next check tries again.
 */
public final class CertificateReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);
    static final int CHECK_SECONDS = 2;
    private final Path certificate;
    private final Path key;
    private final SslContextFactory.Server ssl = new SslContextFactory.Server();
    private final ScheduledExecutorService checker;
    private String loaded;
    private String refused;

    /** Loads the pair now: start-up fails on files that cannot be served. */
    public CertificateReloader(Path certificate, Path key) throws PemKeyStore.InvalidPem {
        this.certificate = certificate;
        this.key = key;
        this.loaded = fingerprint();
        ssl.setKeyStore(PemKeyStore.load(certificate, key));
        ssl.setKeyStorePassword("");
        ssl.setCertAlias(PemKeyStore.ALIAS);
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tls-reload");
            t.setDaemon(true);
            return t;
        });
        checker.scheduleWithFixedDelay(this::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    public SslContextFactory.Server sslContextFactory() {
        return ssl;
    }

    private void check() {
        String now = fingerprint();
        if (now.equals(loaded) || now.equals(refused)) return;
        try {
            KeyStore store = PemKeyStore.load(certificate, key);
            ssl.reload(f -> f.setKeyStore(store));
            loaded = now;
            refused = null;
            LOG.info("TLS certificate reloaded from {}", certificate);
        } catch (PemKeyStore.InvalidPem e) {
            refused = now;
            LOG.warn("TLS files changed but cannot be served yet; keeping the current certificate: {}", e.getMessage());
        } catch (Exception e) {
            refused = now;
            LOG.warn("TLS reload failed; keeping the current certificate: {}", e.toString());
        }
    }

    private String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(certificate));
            sha.update((byte) 0);
            sha.update(Files.readAllBytes(key));
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return "unreadable";
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
