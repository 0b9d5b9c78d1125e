-- SPDX-License-Identifier: Apache-2.0
-- Per-key usage credits and rate-limit windows (docs/api.md "Per-key restrictions",
-- docs/key-limits.md for why they hold across nodes).

-- One row per key with remaining_uses: a use spends one with a single conditional UPDATE, so the
-- row's lock decides every race between connections and nodes. period is the refill period the
-- remaining count belongs to (0 without a refill): the first use after a refill boundary sets
-- remaining back to the refill amount in the same statement, once, whichever node gets there.
CREATE TABLE key_credits (
    key_id     TEXT NOT NULL PRIMARY KEY REFERENCES api_keys (id) ON DELETE CASCADE,
    remaining  BIGINT NOT NULL,
    period     BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One row per rate-limited key, used by nodes sharing a PostgreSQL store: the counts of the last
-- eleven tenth-of-a-period slots (oldest first, ending at slot), as leased out to the nodes.
-- version makes each change a compare-and-set.
CREATE TABLE key_rate_windows (
    key_id         TEXT NOT NULL PRIMARY KEY REFERENCES api_keys (id) ON DELETE CASCADE,
    period_seconds INTEGER NOT NULL,
    slot           BIGINT NOT NULL,
    counts         TEXT NOT NULL,
    version        BIGINT NOT NULL
);
