-- SPDX-License-Identifier: Apache-2.0
-- Public keys of service accounts (docs/api.md "Keyless service accounts", private_key_jwt): a
-- client signs an assertion with its private key, which Servitor never sees. At most two per
-- account (for rotation without downtime), enforced by the service under the account's row lock.

CREATE TABLE public_keys (
    service_account_id  TEXT NOT NULL REFERENCES service_accounts (id) ON DELETE CASCADE,
    kid                 TEXT NOT NULL,                 -- the JWK's kid, else its RFC 7638 thumbprint
    org_id              TEXT NOT NULL,
    kty                 TEXT NOT NULL,                 -- EC or RSA
    alg                 TEXT NOT NULL,                 -- ES256 (EC P-256) or RS256 (RSA; PS256 accepted as well)
    public_jwk          TEXT NOT NULL,                 -- the public members only
    created_at          BIGINT NOT NULL,
    created_by          TEXT NOT NULL,
    last_used_at        BIGINT,
    PRIMARY KEY (service_account_id, kid)
);
