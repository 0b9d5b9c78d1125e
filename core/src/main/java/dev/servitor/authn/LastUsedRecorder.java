// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authn;

import dev.servitor.apikey.ApiKeyStore.LastUse;
import dev.servitor.apikey.ApiKeyStore;
import dev.servitor.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the newest use of each key in memory and writes them in one batch per second, so the
 * verification path never waits on the store.
 */
public final class LastUsedRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LastUsedRecorder.class);
    private final Store store;
    private final Map<String, LastUse> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    public LastUsedRecorder(Store store) {
        this.store = store;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "servitor-last-used");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
    }

    public void record(String keyId, Instant at, String ip) {
        pending.put(keyId, new LastUse(keyId, at, ip));
    }

    /** Writes what is pending now. */
    public synchronized void flush() {
        if (pending.isEmpty()) return;
        List<LastUse> batch = new ArrayList<>(pending.size());
        for (LastUse u : pending.values()) {
            if (pending.remove(u.keyId(), u)) batch.add(u);
        }
        store.write(tx -> {
            tx.table(ApiKeyStore.class).recordUse(batch);
            return null;
        });
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("could not record last use of keys: {}", e.toString());
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        flushQuietly();
    }
}
