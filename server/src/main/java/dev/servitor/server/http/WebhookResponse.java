// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.servitor.webhook.Delivery;
import dev.servitor.webhook.WebhookEndpoint;
import java.time.Instant;
import java.util.List;

/** A webhook endpoint as the API shows it; {@code secret} only in the answers that create one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookResponse(String id, String url, List<String> events, String description, boolean disabled,
                              String disabledReason, Instant failingSince, Instant createdAt, Instant updatedAt, String createdBy,
                              String secret) {
    static WebhookResponse of(WebhookEndpoint e) {
        return of(e, null);
    }

    static WebhookResponse of(WebhookEndpoint e, String secret) {
        return new WebhookResponse(e.id(), e.url(), e.events(), e.description(), e.disabled(), e.disabledReason(), e.failingSince(),
            e.createdAt(), e.updatedAt(), e.createdBy(), secret);
    }

    /** One delivery: {@code delivered_at} once delivered, {@code next_attempt_at} while pending. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryResponse(String id, String eventId, String type, String status, int attempt, Integer responseStatus,
                                   String lastError, Instant deliveredAt, Instant nextAttemptAt, Instant createdAt) {
        static DeliveryResponse of(Delivery d) {
            return new DeliveryResponse(d.id(), d.eventId(), d.eventType(), d.status(), d.attempts(), d.responseStatus(), d.lastError(),
                d.deliveredAt(), Delivery.PENDING.equals(d.status()) ? d.nextAttemptAt() : null, d.createdAt());
        }
    }
}
