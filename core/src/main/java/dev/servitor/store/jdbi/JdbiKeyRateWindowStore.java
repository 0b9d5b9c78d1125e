// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.keylimit.KeyRateWindowStore;
import dev.servitor.keylimit.SlotWindow;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

final class JdbiKeyRateWindowStore implements KeyRateWindowStore {
    private static final String FIND = "SELECT period_seconds, slot, counts, version FROM key_rate_windows WHERE key_id = :id";
    private static final String INSERT = """
        INSERT INTO key_rate_windows (key_id, period_seconds, slot, counts, version) VALUES (:id, :period, :slot, :counts, 1)
        ON CONFLICT (key_id) DO NOTHING""";
    private static final String REPLACE = """
        UPDATE key_rate_windows SET period_seconds = :period, slot = :slot, counts = :counts, version = version + 1
        WHERE key_id = :id AND version = :version""";
    private static final String DELETE = "DELETE FROM key_rate_windows WHERE key_id = :id";

    private final Handle h;

    JdbiKeyRateWindowStore(Handle h) {
        this.h = h;
    }

    @Override
    public Optional<Stored> find(String keyId) {
        return h.createQuery(FIND).bind("id", keyId).map((rs, ctx) -> new Stored(
            SlotWindow.of(rs.getInt("period_seconds"), rs.getLong("slot"), parse(rs.getString("counts"))),
            rs.getLong("version"))).findFirst();
    }

    @Override
    public boolean insert(String keyId, SlotWindow window) {
        return h.createUpdate(INSERT).bind("id", keyId).bind("period", window.periodSeconds()).bind("slot", window.slot())
            .bind("counts", format(window.counts())).execute() == 1;
    }

    @Override
    public boolean replace(String keyId, long version, SlotWindow window) {
        return h.createUpdate(REPLACE).bind("id", keyId).bind("version", version).bind("period", window.periodSeconds())
            .bind("slot", window.slot()).bind("counts", format(window.counts())).execute() == 1;
    }

    @Override
    public void delete(String keyId) {
        h.createUpdate(DELETE).bind("id", keyId).execute();
    }

    private static String format(long[] counts) {
        return Arrays.stream(counts).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    private static long[] parse(String counts) {
        return Arrays.stream(counts.split(",")).mapToLong(Long::parseLong).toArray();
    }
}
