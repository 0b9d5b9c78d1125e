-- SPDX-License-Identifier: Apache-2.0
-- Token ids (jti) accepted once, cluster-wide: a workload's identity token when its issuer
-- requires it, and every private_key_jwt client assertion (docs/api.md "Keyless service
-- accounts"). The primary key decides a race between nodes; a row is kept until the token it
-- names has expired (afterwards the token is refused for its expiry anyway).

CREATE TABLE used_token_ids (
    issuer      TEXT NOT NULL,                  -- the token's iss (or the client id of an assertion)
    jti         TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT NOT NULL,
    PRIMARY KEY (issuer, jti)
);

CREATE INDEX used_token_ids_expiry ON used_token_ids (expires_at);
