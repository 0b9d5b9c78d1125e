// SPDX-License-Identifier: Apache-2.0
/**
 * Lifecycle events (docs/api.md "Lifecycle events"): webhook endpoints, the outbox written in the
 * change's transaction (from the audit log), and the delivery worker that signs (Standard Webhooks)
 * and sends each event at least once, claimed by one node at a time.
 */
package dev.servitor.webhook;
