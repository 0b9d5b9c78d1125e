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

    /**
     * New settings. {@code disabled}: null keeps the state, its reason and the failing time; true is an
     * admin's disabling; false enables it with a clean slate (no reason, not failing).
     */
    public WebhookEndpoint withSettings(String url, List<String> events, String description, Boolean disabled, Instant now) {
        boolean off = disabled == null ? this.disabled : disabled;
        String reason = disabled == null ? disabledReason : disabled ? "admin" : null;
        Instant failing = Boolean.FALSE.equals(disabled) ? null : failingSince;
        return new WebhookEndpoint(id, orgId, url, events, description, off, reason, secretEnc, previousSecretEnc,
            previousExpiresAt, failing, createdAt, now, createdBy);
    }

    public WebhookEndpoint withSecret(String newSecretEnc, Instant previousUntil, Instant now) {
        return new WebhookEndpoint(id, orgId, url, events, description, disabled, disabledReason, newSecretEnc, secretEnc,
            previousUntil, failingSince, createdAt, now, createdBy);
    }
}
