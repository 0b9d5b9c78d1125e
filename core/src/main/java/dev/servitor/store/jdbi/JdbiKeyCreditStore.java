// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.keylimit.KeyCreditStore;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

final class JdbiKeyCreditStore implements KeyCreditStore {
    // one statement: the row lock orders racing spends, and PostgreSQL re-checks the WHERE on the
    // row version the winner left, so the last use is spent once; the refill (period moves
    // forward) happens in the same statement, so it too happens once whichever node gets there
    private static final String SPEND = """
        UPDATE key_credits
        SET remaining = (CASE WHEN :refill >= 0 AND period < :period THEN :refill ELSE remaining END) - 1,
            period = CASE WHEN period < :period THEN :period ELSE period END,
            updated_at = :now
        WHERE key_id = :id
          AND (CASE WHEN :refill >= 0 AND period < :period THEN :refill ELSE remaining END) > 0
        RETURNING remaining""";
    private static final String FIND = "SELECT remaining, period FROM key_credits WHERE key_id = :id";
    private static final String CREATE = """
        INSERT INTO key_credits (key_id, remaining, period, updated_at) VALUES (:id, :remaining, :period, :now)
        ON CONFLICT (key_id) DO NOTHING""";
    private static final String PUT = """
        INSERT INTO key_credits (key_id, remaining, period, updated_at) VALUES (:id, :remaining, :period, :now)
        ON CONFLICT (key_id) DO UPDATE SET remaining = excluded.remaining, period = excluded.period,
            updated_at = excluded.updated_at""";
    private static final String DELETE = "DELETE FROM key_credits WHERE key_id = :id";

    private final Handle h;

    JdbiKeyCreditStore(Handle h) {
        this.h = h;
    }

    @Override
    public OptionalLong spend(String keyId, long period, Long refillAmount, Instant now) {
        Optional<Long> left = h.createQuery(SPEND).bind("id", keyId).bind("period", period)
            .bind("refill", refillAmount == null ? -1L : refillAmount).bind("now", Rows.millis(now))
            .mapTo(Long.class).findFirst();
        return left.map(OptionalLong::of).orElseGet(OptionalLong::empty);
    }

    @Override
    public Optional<Credits> find(String keyId) {
        return h.createQuery(FIND).bind("id", keyId)
            .map((rs, ctx) -> new Credits(rs.getLong("remaining"), rs.getLong("period"))).findFirst();
    }

    @Override
    public void createIfAbsent(String keyId, long remaining, long period, Instant now) {
        h.createUpdate(CREATE).bind("id", keyId).bind("remaining", remaining).bind("period", period)
            .bind("now", Rows.millis(now)).execute();
    }

    @Override
    public void put(String keyId, long remaining, long period, Instant now) {
        h.createUpdate(PUT).bind("id", keyId).bind("remaining", remaining).bind("period", period)
            .bind("now", Rows.millis(now)).execute();
    }

    @Override
    public void delete(String keyId) {
        h.createUpdate(DELETE).bind("id", keyId).execute();
    }
}
