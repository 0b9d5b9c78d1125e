// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.servitor.audit.AuditEvent;
import dev.servitor.audit.AuditLog;
import dev.servitor.audit.AuditStore;
import dev.servitor.common.Ids;
import dev.servitor.directory.OrgStore;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle events' outbox is the audit log: a successful audited action that raises an event
 * ({@link EventTypes#forAction}) is written with its change, in the change's transaction, so that
 * neither exists without the other, and the request writes nothing more. After the commit this
 * node's delivery worker is woken, and its next round {@link #relay relays} the organization's new
 * audit events into webhook events (the {@code webhook-id} derived from the audit event's id) and
 * one delivery per subscribed endpoint, once, whichever node does it. Until then, and if this node
 * dies, the audit events wait behind the organization's cursor for any node's worker.
 */
public final class EventOutbox implements AuditLog.Listener {
    /** Audit events relayed per organization and round, at most. */
    static final int RELAY_BATCH = 500;
    /** Organizations relayed per round, at most. */
    static final int RELAY_ORGS = 100;
    private final Clock clock;
    private final WebhookSubscribers subscribers = new WebhookSubscribers();
    private volatile Runnable wake = () -> {};
    /** Where the next relay round starts when the last one could not look at every organization behind. */
    private volatile String relayAfter = "";

    public EventOutbox(Clock clock) {
        this.clock = clock;
    }

    /** The in-memory view of each organization's endpoints (the change bus's receiver evicts from it). */
    public WebhookSubscribers subscribers() {
        return subscribers;
    }

    /** What to run after a transaction that wrote an event has committed (the worker's wake-up). */
    public void onNewEvents(Runnable wake) {
        this.wake = wake;
    }

    /** Wakes this node's delivery worker (after a commit that wrote an event or deliveries). */
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
        if (type != null && !subscribers.of(tx, e.orgId(), type).isEmpty()) tx.afterCommit(this::wakeWorker);
    }

    /**
     * Relays, in {@code tx}, the audit events that raise lifecycle events and were written up to {@code cutoff} (the
     * worker passes a time in the past while the node is busy; later ones wait for a later round): per organization whose
     * chain went past its cursor, at most {@link #RELAY_BATCH}, each to the endpoints enabled and subscribed to its type.
     */
    public Relayed relay(Tx tx, Instant cutoff) {
        List<WebhookStore.Cursor> behind = tx.table(WebhookStore.class).cursorsBehind(relayAfter, RELAY_ORGS);
        Batch batch = new Batch();
        for (WebhookStore.Cursor c : behind) relay(tx, c, cutoff, batch);
        batch.insert(tx);
        boolean allSeen = behind.size() < RELAY_ORGS;
        relayAfter = allSeen ? "" : behind.get(RELAY_ORGS - 1).orgId(); // the next round goes on from there, so no organization waits behind others
        return new Relayed(batch.full || !allSeen, batch.firstLeft);
    }

    /** What a round left: whether more is due than one round takes, and the time of the first event written after the cutoff (or null). */
    public record Relayed(boolean more, Instant firstLeft) {}

    /**
     * Relays everything the organization's chain holds past its cursor, in {@code tx}, holding the organization's lock
     * (no audit event of it is written meanwhile). Called before each change of its endpoints, so that every event goes
     * to the endpoints as they were when it was written, however late the worker relays.
     */
    public void catchUp(Tx tx, String orgId) {
        tx.table(OrgStore.class).lock(orgId);
        WebhookStore table = tx.table(WebhookStore.class);
        for (Optional<WebhookStore.Cursor> c; (c = table.cursor(orgId)).isPresent() && c.get().relayed() < c.get().head(); ) {
            Batch batch = new Batch();
            relay(tx, c.get(), Instant.MAX, batch); // a worker that moved the cursor first leaves the next read further on
            batch.insert(tx);
        }
    }

    /** What one relay writes (events, then their deliveries, each in one batch), and what it left. */
    private static final class Batch {
        final List<WebhookEvent> events = new ArrayList<>();
        final List<Delivery> deliveries = new ArrayList<>();
        boolean full;
        Instant firstLeft;

        void insert(Tx tx) {
            WebhookStore table = tx.table(WebhookStore.class);
            table.insertEvents(events);
            table.insertDeliveries(deliveries);
        }
    }

    /**
     * Relays one organization's events after cursor {@code c} up to {@code cutoff}, at most {@link #RELAY_BATCH}, into
     * {@code batch}. The cursor moves by compare-and-set before anything is written, so of two nodes relaying at once only
     * one writes.
     */
    private void relay(Tx tx, WebhookStore.Cursor c, Instant cutoff, Batch batch) {
        WebhookStore table = tx.table(WebhookStore.class);
        List<WebhookEndpoint> endpoints = table.subscribers(c.orgId());
        List<AuditEvent> raised = endpoints.isEmpty() ? List.of() : tx.table(AuditStore.class)
            .successesAfter(c.orgId(), c.relayed(), c.head(), EventTypes.raisingActions(), RELAY_BATCH);
        boolean full = raised.size() == RELAY_BATCH;
        long through = full ? raised.get(RELAY_BATCH - 1).seq() : c.head();
        List<AuditEvent> due = new ArrayList<>(raised.size());
        for (AuditEvent e : raised) {
            if (e.time().isAfter(cutoff)) {
                through = e.seq() - 1;
                full = false;
                if (batch.firstLeft == null || e.time().isBefore(batch.firstLeft)) batch.firstLeft = e.time();
                break;
            }
            due.add(e);
        }
        if (through <= c.relayed() || !table.moveCursor(c.orgId(), c.relayed(), through)) return; // nothing due, or relayed by another node
        batch.full |= full;
        for (AuditEvent e : due) {
            String type = EventTypes.forAction(e.action());
            List<WebhookEndpoint> to = endpoints.stream().filter(endpoint -> endpoint.wants(type)).toList();
            if (to.isEmpty()) continue;
            WebhookEvent event = event("msg" + e.id().substring(e.id().indexOf('_')), e.orgId(), type, dataOf(e), e.time());
            batch.events.add(event);
            batch.deliveries.addAll(deliveries(event, to));
        }
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
     * endpoint still exists and is enabled (the test event of docs/api.md; a change's events come through {@link #relay}).
     */
    public WebhookEvent publish(Tx tx, String orgId, String type, Map<String, Object> data, List<WebhookEndpoint> endpoints) {
        WebhookEvent event = event(Ids.newId("msg"), orgId, type, data, clock.instant());
        WebhookStore table = tx.table(WebhookStore.class);
        table.insertEvents(List.of(event));
        table.insertDeliveries(deliveries(event, endpoints));
        tx.afterCommit(this::wakeWorker);
        return event;
    }

    private static WebhookEvent event(String id, String orgId, String type, Map<String, Object> data, Instant time) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", time.toString());
        body.put("data", data);
        return new WebhookEvent(id, orgId, type, JSONObjectUtils.toJSONString(body), time);
    }

    /** One pending delivery of {@code event} per endpoint, due at once. */
    private static List<Delivery> deliveries(WebhookEvent event, List<WebhookEndpoint> endpoints) {
        List<Delivery> deliveries = new ArrayList<>(endpoints.size());
        for (WebhookEndpoint endpoint : endpoints) {
            deliveries.add(new Delivery(Ids.newId("whd"), event.id(), event.type(), endpoint.id(), event.orgId(), Delivery.PENDING, 0,
                event.createdAt(), null, null, null, event.createdAt()));
        }
        return deliveries;
    }
}
