-- SPDX-License-Identifier: Apache-2.0
-- Workload identity federation (docs/api.md "Keyless service accounts"): an organization's
-- trusted issuers of workload identity tokens, and the federated credentials of its service
-- accounts, each naming one issuer and the claims a token must carry to stand for the account.

CREATE TABLE federation_issuers (
    id                     TEXT PRIMARY KEY,
    org_id                 TEXT NOT NULL REFERENCES organizations (id),
    name                   TEXT NOT NULL,
    issuer_url             TEXT NOT NULL,          -- the exact iss
    jwks_uri               TEXT,                   -- null: from the discovery document (unless jwks is set)
    jwks                   TEXT,                   -- an inline JWKS (JSON); then nothing is fetched
    max_token_age_seconds  BIGINT NOT NULL,
    require_jti            BOOLEAN NOT NULL,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL,
    created_by             TEXT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE federated_credentials (
    id                      TEXT PRIMARY KEY,
    org_id                  TEXT NOT NULL,
    service_account_id      TEXT NOT NULL REFERENCES service_accounts (id) ON DELETE CASCADE,
    issuer_id               TEXT NOT NULL REFERENCES federation_issuers (id),
    name                    TEXT NOT NULL,
    audience                TEXT NOT NULL,
    subject                 TEXT,
    subject_prefix          TEXT,
    claims                  TEXT NOT NULL,         -- JSON object {claim: value}, exact matches; {} for none
    condition               TEXT,                  -- a CEL expression over claims, compiled when written
    token_lifetime_seconds  BIGINT NOT NULL,
    last_used_at            BIGINT,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    created_by              TEXT NOT NULL,
    UNIQUE (service_account_id, name)
);
CREATE INDEX federated_credentials_issuer ON federated_credentials (issuer_id);
