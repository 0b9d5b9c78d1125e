-- SPDX-License-Identifier: Apache-2.0
-- The service-account list filtered by `disabled` (GET /v1/service-accounts?disabled=true) walked
-- every account of the organization when few match: 37 ms at 100,000 accounts on PostgreSQL
-- (docs/benchmarks.md, "Scale"). With (org_id, disabled, name) each page is an index range in
-- name order, like the unfiltered and role-filtered lists.
CREATE INDEX service_accounts_org_disabled ON service_accounts (org_id, disabled, name);
