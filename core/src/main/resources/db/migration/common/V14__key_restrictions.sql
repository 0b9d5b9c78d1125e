-- SPDX-License-Identifier: Apache-2.0
-- Per-key restrictions (docs/api.md "Per-key restrictions"): the key's KeyRestrictions as JSON
-- text in the wire shape ({"permissions":[..],"allowed_ips":[..],"rate_limit":{"limit","period_seconds"},
-- "remaining_uses":n,"refill":{"amount","interval"}}), only the parts that are set; NULL: none.
-- Read with the key on every cache miss, so it lives on the key's row. Counters for rate limits
-- and remaining uses are not kept here (they change on every use; see V15).
ALTER TABLE api_keys ADD COLUMN restrictions TEXT;
