-- SPDX-License-Identifier: Apache-2.0
-- Numbered 16: V12 is taken by branch federation, V15 by keylimits (neither merged when this was written).
-- Each organization's number of service accounts, kept by the statements that insert and delete
-- them (in their transaction), so that the quota check on every creation reads one row instead of
-- counting the organization's accounts (which took ~1.4 ms at 24,000 accounts on SQLite, and grew
-- with the organization).

ALTER TABLE organizations ADD COLUMN service_account_count BIGINT NOT NULL DEFAULT 0;

UPDATE organizations SET service_account_count = (SELECT COUNT(*) FROM service_accounts s WHERE s.org_id = organizations.id);
