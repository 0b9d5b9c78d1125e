-- SPDX-License-Identifier: Apache-2.0
-- One schema for SQLite and PostgreSQL. ${name} is TEXT with byte-order collation on both
-- engines, so keyset paging and name-prefix ranges order the same everywhere.
-- Times are epoch milliseconds; ids are TEXT with a type prefix.

CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    name        ${name} NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    audit_seq   BIGINT NOT NULL DEFAULT 0,
    audit_head  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id),
    username      ${name} NOT NULL,
    email         TEXT NOT NULL,
    role          TEXT NOT NULL,
    is_org_admin  BOOLEAN NOT NULL,
    is_operator   BOOLEAN NOT NULL,
    disabled      BOOLEAN NOT NULL,
    password_hash TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (org_id, username)
);

CREATE TABLE service_accounts (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations (id),
    name            ${name} NOT NULL,
    description     TEXT NOT NULL,
    role            TEXT NOT NULL,
    network_policy  TEXT,
    is_org_admin    BOOLEAN NOT NULL,
    disabled        BOOLEAN NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    created_by      TEXT NOT NULL,
    UNIQUE (org_id, name)
);
CREATE INDEX service_accounts_org_role ON service_accounts (org_id, role, name);

-- Keys outlive a deleted owner (revoked), so that their use is answered REVOKED and audited.
CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id),
    owner_kind    TEXT NOT NULL,
    owner_id      TEXT NOT NULL,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL,
    type          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    secret_hash   TEXT NOT NULL UNIQUE,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT,
    revoked_at    BIGINT,
    created_by    TEXT NOT NULL,
    last_used_at  BIGINT,
    last_used_ip  TEXT
);
CREATE INDEX api_keys_owner ON api_keys (owner_id, created_at);

-- Per-organization hash chain: hash = SHA-256(prev_hash, seq, every field); organizations.audit_head
-- holds the newest hash, so removing the newest events is detected too.
CREATE TABLE audit_events (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL,
    seq           BIGINT NOT NULL,
    time          BIGINT NOT NULL,
    actor         TEXT NOT NULL,
    on_behalf_of  TEXT,
    action        TEXT NOT NULL,
    target        ${name} NOT NULL,
    ip            TEXT,
    outcome       TEXT NOT NULL,
    details       TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    UNIQUE (org_id, seq)
);
CREATE INDEX audit_events_org_time ON audit_events (org_id, time);
