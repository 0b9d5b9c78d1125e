// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import dev.servitor.apikey.KeyRestrictions;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * A key's usage credits, spent one accepted use at a time with one conditional UPDATE of the
 * key's row ({@link KeyCreditStore#spend}), which is exact across connections and nodes. The row
 * is created on the first use from the key's {@code remaining_uses}, refilled in the same
 * statement as the first use after a refill boundary, and set anew by {@link #reset} when the
 * key's restrictions change.
 */
final class KeyCredits {
    /** What {@link #spend} answers when no use is left. */
    static final long EXCEEDED = -1;

    private final Store store;

    KeyCredits(Store store) {
        this.store = store;
    }

    /** Spends one use: the uses left after it, or {@link #EXCEEDED}. */
    long spend(String keyId, Instant createdAt, KeyRestrictions r, Instant now) {
        long period = RefillSchedule.periodAt(r.refill(), createdAt, now);
        Long refill = r.refill() == null ? null : r.refill().amount();
        return store.write(tx -> {
            KeyCreditStore credits = tx.table(KeyCreditStore.class);
            OptionalLong left = credits.spend(keyId, period, refill, now);
            if (left.isPresent()) return left.getAsLong();
            // no row, or none left: a row another node created since the spend began must be
            // spent from, not taken for "none left", so create (a no-op if it exists) and spend again
            credits.createIfAbsent(keyId, r.remainingUses(), period, now);
            return credits.spend(keyId, period, refill, now).orElse(EXCEEDED);
        });
    }

    /** The uses left now, without spending one. */
    long remaining(String keyId, Instant createdAt, KeyRestrictions r, Instant now) {
        return store.read(tx -> remaining(tx, keyId, createdAt, r, now));
    }

    private static long remaining(Tx tx, String keyId, Instant createdAt, KeyRestrictions r, Instant now) {
        long period = RefillSchedule.periodAt(r.refill(), createdAt, now);
        return tx.table(KeyCreditStore.class).find(keyId)
            .map(c -> r.refill() != null && c.period() < period ? r.refill().amount() : c.remaining())
            .orElse(r.remainingUses());
    }

    /**
     * The successor of a rotated key takes over what the old key had left (its refills then count
     * from its own creation); the old key, usable during a grace, keeps its own count.
     */
    static void carryOver(Tx tx, String oldId, Instant oldCreatedAt, String successorId, Instant successorCreatedAt,
                          KeyRestrictions r, Instant now) {
        if (r == null || r.remainingUses() == null) return;
        long left = remaining(tx, oldId, oldCreatedAt, r, now);
        tx.table(KeyCreditStore.class).put(successorId, left, RefillSchedule.periodAt(r.refill(), successorCreatedAt, now), now);
    }

    /** Grants the key its {@code remaining_uses} afresh (or forgets its count when it has none), in the caller's transaction. */
    static void reset(Tx tx, String keyId, Instant createdAt, KeyRestrictions r, Instant now) {
        KeyCreditStore credits = tx.table(KeyCreditStore.class);
        if (r == null || r.remainingUses() == null) {
            credits.delete(keyId);
        } else {
            credits.put(keyId, r.remainingUses(), RefillSchedule.periodAt(r.refill(), createdAt, now), now);
        }
    }
}
