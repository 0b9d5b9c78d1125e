// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import dev.servitor.common.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The tables of lifecycle events: endpoints, the event outbox and deliveries. */
public interface WebhookStore {
    void insertEndpoint(WebhookEndpoint e);

    Optional<WebhookEndpoint> findEndpoint(String orgId, String id);

    /** One page, ordered by id, with one row more than the page holds ({@link dev.servitor.common.Page#of}). */
    List<WebhookEndpoint> listEndpoints(String orgId, PageRequest page);

    void updateEndpoint(WebhookEndpoint e);

    /** Deletes the endpoint and its deliveries. */
    void deleteEndpoint(String id);

    /** The organization's enabled endpoints. */
    List<WebhookEndpoint> subscribers(String orgId);

    /** Inserts the events in one batch. */
    void insertEvents(List<WebhookEvent> events);

    /** Gives the organization a relay cursor at its audit head, unless it has one (its first endpoint). */
    void startCursor(String orgId);

    /** The organization's cursor, if it has one. */
    Optional<Cursor> cursor(String orgId);

    /** Up to {@code limit} organizations after {@code afterOrgId} (by id; "" for the first) whose audit chain goes past their cursor. */
    List<Cursor> cursorsBehind(String afterOrgId, int limit);

    /** An organization's cursor: its last relayed audit event and its newest one. */
    record Cursor(String orgId, long relayed, long head) {}

    /** Moves the cursor from {@code from} to {@code to}; false when another worker moved it first. */
    boolean moveCursor(String orgId, long from, long to);

    /** Inserts the deliveries in one batch, skipping each whose endpoint is gone or disabled. */
    void insertDeliveries(List<Delivery> deliveries);

    /**
     * Claims up to {@code limit} pending deliveries due by {@code now} of enabled endpoints, and
     * moves their due time to {@code leaseUntil}, so no other node claims them meanwhile (on
     * PostgreSQL with {@code FOR UPDATE SKIP LOCKED}: concurrent claimers skip each other's rows).
     */
    List<Claimed> claimDue(Instant now, Instant leaseUntil, int limit);

    /** A claimed delivery with what sending it needs. */
    record Claimed(Delivery delivery, WebhookEvent event, WebhookEndpoint endpoint) {}

    /** Records an attempt's outcome: status, attempts, next due time (pending only), answer. */
    void recordAttempt(String deliveryId, String status, int attempts, Instant nextAttemptAt, Integer responseStatus,
                       String lastError, Instant deliveredAt);

    /** Marks the deliveries delivered, each with one attempt more than it had and its answer's status (same order), in one batch. */
    void recordDelivered(List<Delivery> deliveries, List<Integer> statuses, Instant deliveredAt);

    Optional<Delivery> findDelivery(String orgId, String endpointId, String deliveryId);

    /** The endpoint's deliveries, newest first, at most {@code limit} created before {@code before} (null: from the newest). */
    List<Delivery> listDeliveries(String endpointId, String beforeId, int limit);

    /** Sets {@code failing_since} (null: healthy), and disables the endpoint with {@code disabledReason} when that is not null. */
    void markHealth(String endpointId, Instant failingSince, String disabledReason, Instant now);
}
