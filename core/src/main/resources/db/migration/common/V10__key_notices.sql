-- SPDX-License-Identifier: Apache-2.0
-- Scheduled lifecycle events (docs/api.md "Lifecycle events"): which key was announced as
-- expiring (7 days, 1 day), expired or dormant. A row is written in the same transaction as the
-- announcement's audit event and outbox event; the primary key lets each be written once, whatever
-- the number of nodes and restarts.

CREATE TABLE key_notices (
    key_id        TEXT NOT NULL,
    kind          TEXT NOT NULL,                 -- expiring_7d, expiring_1d, expired, dormant
    org_id        TEXT NOT NULL,
    announced_at  BIGINT NOT NULL,
    PRIMARY KEY (key_id, kind)
);

-- The scheduler's scans: live keys by expiry, and live keys of one organization.
CREATE INDEX api_keys_live_expiry ON api_keys (expires_at) WHERE revoked_at IS NULL;
CREATE INDEX api_keys_live_org ON api_keys (org_id) WHERE revoked_at IS NULL;
