-- SPDX-License-Identifier: Apache-2.0
-- Network policies (allow and block lists of addresses and CIDRs) attached to the organization
-- and to service accounts by name, and per service account compute settings.

-- allowed_ips and blocked_ips hold the entries as given, comma-separated (no entry contains a comma).
CREATE TABLE network_policies (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations (id),
    name         ${name} NOT NULL,
    description  TEXT NOT NULL,
    allowed_ips  TEXT NOT NULL,
    blocked_ips  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    UNIQUE (org_id, name)
);

-- The organization's own policy (by name, like service_accounts.network_policy); null: none.
ALTER TABLE organizations ADD COLUMN network_policy TEXT;

-- "Is this policy still attached?" and the enforcement snapshot read service accounts by policy.
CREATE INDEX service_accounts_network_policy ON service_accounts (org_id, network_policy);

-- A row exists only after the first PUT; before that the configured defaults apply.
CREATE TABLE compute_settings (
    service_account_id  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES organizations (id),
    read_write_size     TEXT NOT NULL,
    read_scaling_size   TEXT NOT NULL,
    flock_size          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
