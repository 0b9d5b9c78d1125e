-- SPDX-License-Identifier: Apache-2.0
-- An audit event names its actor by id as well as by e-mail: an e-mail is a label a user can
-- change, the id never changes. Events written before this migration have no actor_id; the
-- chain hash covers actor_id only when it is set, so their hashes stay valid.
ALTER TABLE audit_events ADD COLUMN actor_id TEXT;

-- E-mail addresses are compared case-insensitively: email_key is the address lower-cased (by
-- the application, Locale.ROOT, on every write; here for the rows that exist). Not UNIQUE:
-- stores written before the rule may hold duplicates, and the rule spans organizations
-- (operators' addresses), so the application checks it under the organization's row lock.
ALTER TABLE users ADD COLUMN email_key TEXT;
UPDATE users SET email_key = lower(email);
CREATE INDEX users_email_key ON users (email_key);
