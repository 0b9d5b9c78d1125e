// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import java.time.Instant;

/**
 * One event on its way to one endpoint. {@code status}: {@code pending} (due at
 * {@code nextAttemptAt}), {@code delivered}, or {@code failed} (retries exhausted, or the endpoint
 * was deleted or disabled).
 */
public record Delivery(String id, String eventId, String eventType, String endpointId, String orgId, String status, int attempts,
                       Instant nextAttemptAt, Integer responseStatus, String lastError, Instant deliveredAt, Instant createdAt) {
    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
}
