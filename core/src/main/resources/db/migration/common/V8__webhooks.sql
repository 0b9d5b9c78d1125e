-- SPDX-License-Identifier: Apache-2.0
-- Lifecycle events (docs/api.md "Lifecycle events"): an organization's webhook endpoints, the
-- events written in the same transaction as their change (the outbox), and one delivery row per
-- event and endpoint, which the delivery workers of all nodes claim.

CREATE TABLE webhook_endpoints (
    id                   TEXT PRIMARY KEY,
    org_id               TEXT NOT NULL REFERENCES organizations (id),
    url                  TEXT NOT NULL,
    events               TEXT NOT NULL,          -- comma-separated types, or *
    description          TEXT NOT NULL,
    disabled             BOOLEAN NOT NULL,
    disabled_reason      TEXT,                   -- null, 'admin' or 'failing'
    secret_enc           TEXT NOT NULL,          -- the signing secret, encrypted with the master key
    previous_secret_enc  TEXT,                   -- after a rotation, still signed with until previous_expires_at
    previous_expires_at  BIGINT,
    failing_since        BIGINT,                 -- first failed attempt since the last success; null when healthy
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    created_by           TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id);

CREATE TABLE webhook_events (
    id          TEXT PRIMARY KEY,                -- msg_…: the webhook-id of every delivery and retry
    org_id      TEXT NOT NULL,
    type        TEXT NOT NULL,
    payload     TEXT NOT NULL,                   -- the exact body sent: {"type","timestamp","data"}
    created_at  BIGINT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    event_id         TEXT NOT NULL REFERENCES webhook_events (id),
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    org_id           TEXT NOT NULL,
    status           TEXT NOT NULL,              -- pending, delivered, failed
    attempts         INTEGER NOT NULL,
    next_attempt_at  BIGINT,                     -- when pending: due time; a claim moves it past the call's deadline
    response_status  INTEGER,
    last_error       TEXT,
    delivered_at     BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
