// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import java.time.Instant;
import java.util.List;

/**
 * An organization's receiver of lifecycle events. The signing secret is held encrypted
 * ({@code secretEnc}); after a rotation the previous one keeps signing until
 * {@code previousExpiresAt}, so a receiver can switch without losing a delivery.
 * {@code disabledReason}: null, {@code admin}, or {@code failing} (every attempt failed for
 * {@link DeliveryPolicy#DISABLE_AFTER}).
 */
public record WebhookEndpoint(String id, String orgId, String url, List<String> events, String description, boolean disabled,
                              String disabledReason, String secretEnc, String previousSecretEnc, Instant previousExpiresAt,
                              Instant failingSince, Instant createdAt, Instant updatedAt, String createdBy) {
    public WebhookEndpoint {
        events = List.copyOf(events);
    }

    public boolean wants(String type) {
        return events.contains("*") || events.contains(type);
    }

    public WebhookEndpoint withSettings(String url, List<String> events, String description, boolean disabled, Instant now) {
        return new WebhookEndpoint(id, orgId, url, events, description, disabled, disabled ? "admin" : null, secretEnc,
            previousSecretEnc, previousExpiresAt, disabled ? failingSince : null, createdAt, now, createdBy);
    }

    public WebhookEndpoint withSecret(String newSecretEnc, Instant previousUntil, Instant now) {
        return new WebhookEndpoint(id, orgId, url, events, description, disabled, disabledReason, newSecretEnc, secretEnc,
            previousUntil, failingSince, createdAt, now, createdBy);
    }
}
