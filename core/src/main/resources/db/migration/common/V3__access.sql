-- SPDX-License-Identifier: Apache-2.0
-- Access control and tenancy: organization settings and quotas, custom roles, groups,
-- usage counters. Built-in roles live in code (access/Roles), not here.

ALTER TABLE organizations ADD COLUMN service_accounts_require_group BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE organizations ADD COLUMN access_token_lifetime_seconds BIGINT NOT NULL DEFAULT 86400;
ALTER TABLE organizations ADD COLUMN max_service_accounts INTEGER NOT NULL DEFAULT 10000;
ALTER TABLE organizations ADD COLUMN max_keys_per_service_account INTEGER NOT NULL DEFAULT 50;
ALTER TABLE organizations ADD COLUMN max_keys_per_user INTEGER NOT NULL DEFAULT 5;

CREATE TABLE roles (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations (id),
    name         ${name} NOT NULL,
    description  TEXT NOT NULL,
    permissions  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (org_id, name)
);

-- "groups" is a keyword in SQLite's window syntax, hence access_groups.
CREATE TABLE access_groups (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations (id),
    name         ${name} NOT NULL,
    description  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE group_roles (
    group_id   TEXT NOT NULL,
    role_name  ${name} NOT NULL,
    PRIMARY KEY (group_id, role_name)
);

CREATE TABLE group_members (
    group_id      TEXT NOT NULL,
    principal_id  TEXT NOT NULL,
    PRIMARY KEY (group_id, principal_id)
);
CREATE INDEX group_members_principal ON group_members (principal_id);

-- Monthly counters per organization (token grants, verifications), written in batches.
CREATE TABLE usage_counters (
    org_id  TEXT NOT NULL,
    month   TEXT NOT NULL,
    metric  TEXT NOT NULL,
    value   BIGINT NOT NULL,
    PRIMARY KEY (org_id, month, metric)
);

-- Console sessions of human users. Only the SHA-256 of the cookie value is stored.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Firebolt's accounts: workspaces of an organization and their users, each optionally linked to
-- one service account; an account is linked to at most one user per workspace.
CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations (id),
    name        ${name} NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE workspace_users (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL,
    workspace_id        TEXT NOT NULL REFERENCES workspaces (id),
    name                ${name} NOT NULL,
    service_account_id  TEXT,
    login               TEXT,
    default_database    TEXT,
    default_engine      TEXT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    UNIQUE (workspace_id, name),
    UNIQUE (workspace_id, service_account_id)
);
CREATE INDEX workspace_users_account ON workspace_users (service_account_id);
