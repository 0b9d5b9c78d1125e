-- SPDX-License-Identifier: Apache-2.0
-- OAuth 2.0: client secrets of service accounts, JWT signing keys, revoked access tokens.

-- A secret's revoked_at may lie in the future while a replaced secret is in its grace period.
CREATE TABLE client_secrets (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES organizations (id),
    service_account_id  TEXT NOT NULL,
    prefix              TEXT NOT NULL,
    secret_hash         TEXT NOT NULL UNIQUE,
    created_at          BIGINT NOT NULL,
    revoked_at          BIGINT,
    created_by          TEXT NOT NULL
);
CREATE INDEX client_secrets_account ON client_secrets (service_account_id);

-- Private keys are stored encrypted (AES-256-GCM) under the master key; never in clear.
CREATE TABLE signing_keys (
    kid               TEXT PRIMARY KEY,
    algorithm         TEXT NOT NULL,
    public_jwk        TEXT NOT NULL,
    private_key_enc   TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    retired_at        BIGINT
);

-- A revoked token is refused until it would have expired anyway; then the row may go.
CREATE TABLE revoked_tokens (
    jti         TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT NOT NULL
);
CREATE INDEX revoked_tokens_expiry ON revoked_tokens (expires_at);
