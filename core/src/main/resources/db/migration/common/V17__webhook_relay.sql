-- SPDX-License-Identifier: Apache-2.0
-- The audit log is the lifecycle events' outbox (docs/webhooks.md "How events are written"): a change's
-- audit event is written in its transaction, and the delivery workers turn the organization's audit events
-- after its cursor into webhook events and deliveries, moving the cursor by compare-and-set so that each
-- audit event is relayed once, by one node. An organization gets its cursor, at its audit head, when its
-- first endpoint is created.

CREATE TABLE webhook_cursors (
    org_id     TEXT PRIMARY KEY,
    audit_seq  BIGINT NOT NULL   -- the organization's last audit event already relayed
);

INSERT INTO webhook_cursors (org_id, audit_seq)
SELECT o.id, o.audit_seq FROM organizations o WHERE EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.org_id = o.id);
