-- SPDX-License-Identifier: Apache-2.0
-- Credential policy per organization (docs/api.md "Credential policy"): no row means the
-- defaults (no maximum lifetime, no dormancy, on_leak revoke, no network policy required).
CREATE TABLE credential_policies (
    org_id                  TEXT PRIMARY KEY REFERENCES organizations (id),
    max_key_lifetime_days   INTEGER,
    dormant_after_days      INTEGER,
    on_leak                 TEXT NOT NULL,       -- 'revoke' or 'notify'
    require_network_policy  BOOLEAN NOT NULL,
    updated_at              BIGINT NOT NULL
);

-- Leaked credentials (docs/api.md "Leaked credentials"): every report of a live credential
-- found in public, whether it was revoked or only flagged (on_leak notify).
CREATE TABLE credential_exposures (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations (id),
    credential_id   TEXT NOT NULL,               -- key_… or cs_…
    kind            TEXT NOT NULL,               -- 'api_key' or 'client_secret'
    action          TEXT NOT NULL,               -- 'revoked' or 'flagged'
    url             TEXT,
    source          TEXT NOT NULL,               -- 'github' or 'report', or GitHub's own source
    found_at        BIGINT NOT NULL
);
CREATE INDEX credential_exposures_credential ON credential_exposures (credential_id);
