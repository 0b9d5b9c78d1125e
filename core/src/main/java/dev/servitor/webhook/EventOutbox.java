// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.servitor.audit.AuditEvent;
import dev.servitor.audit.AuditLog;
import dev.servitor.common.Ids;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes lifecycle events into the outbox, in the transaction of their change. It listens to the
 * audit log: a successful audited action that raises an event ({@link EventTypes#forAction}) gets
 * one event row and one delivery per subscribed endpoint, in the same transaction as the change
 * and its audit event, so neither exists without the other. After the commit the delivery worker
 * is woken; until then, and if this node dies, the rows wait for any node's worker.
 */
public final class EventOutbox implements AuditLog.Listener {
    private final Clock clock;
    private final WebhookSubscribers subscribers = new WebhookSubscribers();
    private volatile Runnable wake = () -> {};

    public EventOutbox(Clock clock) {
        this.clock = clock;
    }

    /** The in-memory view of each organization's endpoints (the change bus's receiver evicts from it). */
    public WebhookSubscribers subscribers() {
        return subscribers;
    }

    /** What to run after a transaction that wrote deliveries has committed (the worker's wake-up). */
    public void onNewDeliveries(Runnable wake) {
        this.wake = wake;
    }

    /** Wakes this node's delivery worker (after a commit that made deliveries due). */
    public void wakeWorker() {
        wake.run();
    }

    @Override
    public void appended(Tx tx, AuditEvent e) {
        if (!AuditEvent.SUCCESS.equals(e.outcome())) return;
        if (e.action().startsWith("webhook.")) { // every change of an endpoint is audited as webhook.*
            if (!e.action().equals(EventTypes.TEST)) subscribers.changed(tx, e.orgId());
            return;
        }
        String type = EventTypes.forAction(e.action());
        if (type == null) return;
        List<WebhookEndpoint> endpoints = subscribers.of(tx, e.orgId(), type);
        if (endpoints.isEmpty()) return;
        publish(tx, e.orgId(), type, dataOf(e), endpoints);
    }

    /** The event's {@code data}: what was changed, by whom, and the audit event that records it. */
    static Map<String, Object> dataOf(AuditEvent e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("organization_id", e.orgId());
        data.put("target", e.target());
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("id", e.actorId());
        actor.put("email", e.actor());
        data.put("actor", actor);
        if (e.onBehalfOf() != null) data.put("on_behalf_of", e.onBehalfOf());
        data.put("details", new LinkedHashMap<>(e.details()));
        data.put("audit_event_id", e.id());
        return data;
    }

    /**
     * Writes one event of {@code type} for {@code endpoints}, in {@code tx}: its deliveries in one batch, each only if its
     * endpoint still exists and is enabled (the list may come from {@link WebhookSubscribers}' memory).
     */
    public WebhookEvent publish(Tx tx, String orgId, String type, Map<String, Object> data, List<WebhookEndpoint> endpoints) {
        Instant now = clock.instant();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", now.toString());
        body.put("data", data);
        WebhookEvent event = new WebhookEvent(Ids.newId("msg"), orgId, type, JSONObjectUtils.toJSONString(body), now);
        WebhookStore table = tx.table(WebhookStore.class);
        table.insertEvent(event);
        List<Delivery> deliveries = new ArrayList<>(endpoints.size());
        for (WebhookEndpoint endpoint : endpoints) {
            deliveries.add(new Delivery(Ids.newId("whd"), event.id(), type, endpoint.id(), orgId, Delivery.PENDING, 0,
                now, null, null, null, now));
        }
        table.insertDeliveries(deliveries);
        tx.afterCommit(this::wakeWorker);
        return event;
    }
}
