// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import java.time.Instant;

/** One lifecycle event as stored in the outbox: {@code payload} is the exact body every delivery sends. */
public record WebhookEvent(String id, String orgId, String type, String payload, Instant createdAt) {}
