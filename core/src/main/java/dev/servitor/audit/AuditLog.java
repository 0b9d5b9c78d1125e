// SPDX-License-Identifier: Apache-2.0
package dev.servitor.audit;

import dev.servitor.authz.RefusalLog;
import dev.servitor.caller.Caller;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.ServiceException;
import dev.servitor.directory.OrgStore;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends events to an organization's hash chain inside the caller's transaction, so an event
 * exists exactly when its change does. Appending takes the organization's chain lock, which
 * serializes writers of one organization on PostgreSQL.
 */
public final class AuditLog implements RefusalLog {
    /**
     * Heap that queued events may hold, estimated per event (see {@link #sizeOf}); a grant's event
     * takes about 400 bytes (measured), so some 30,000 fit. Past it, while the store cannot take
     * them, a queued action is refused with 503 rather than acknowledged without its event.
     */
    public static final long MAX_QUEUED_BYTES = 16L << 20;
    /** Events written per transaction, so that a backlog is written in bounded transactions. */
    static final int FLUSH_BATCH = 2_000;

    private final Store store;
    private final Clock clock;
    private final long maxQueuedBytes;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private volatile Listener listener = (tx, event) -> {};
    private final AtomicLong queuedBytes = new AtomicLong();

    public AuditLog(Store store, Clock clock) {
        this(store, clock, MAX_QUEUED_BYTES);
    }

    AuditLog(Store store, Clock clock, long maxQueuedBytes) {
        this.store = store;
        this.clock = clock;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Told of every event appended, inside the transaction that appends it. */
    public interface Listener {
        void appended(Tx tx, AuditEvent event);
    }

    /** The one listener (the lifecycle-event outbox), set while the node starts. */
    public void listen(Listener listener) {
        this.listener = listener;
    }

    public AuditEvent append(Tx tx, String orgId, Caller caller, String action, String target, Map<String, String> details) {
        return append(tx, orgId, caller, action, target, AuditEvent.SUCCESS, details);
    }

    /**
     * Queues an event of a high-rate action (token grants) to be written with others in one
     * transaction, in order, off the request path; see {@link #flushQueued()}. The event keeps
     * the time it was queued. Throws 503 if the queue already holds {@link #MAX_QUEUED_BYTES} (the
     * store has not taken its events for a while): the action must then fail rather than go unaudited.
     */
    public void appendLater(String orgId, Caller caller, String action, String target, Map<String, String> details) {
        // a copy: the size counted in must be the size counted out
        Pending p = new Pending(orgId, clock.instant(), caller, action, target, AuditEvent.SUCCESS,
            Collections.unmodifiableMap(new LinkedHashMap<>(details)));
        long size = sizeOf(p);
        if (queuedBytes.addAndGet(size) > maxQueuedBytes) {
            queuedBytes.addAndGet(-size);
            throw new ServiceException(ErrorCode.UNAVAILABLE, "The audit log cannot be written at the moment; try again shortly");
        }
        queue.add(p);
    }

    /** A generous estimate of the heap an event holds: a fixed part, and two bytes per character of its own strings. */
    private static long sizeOf(Pending p) {
        long chars = p.target().length() + p.action().length();
        for (Map.Entry<String, String> e : p.details().entrySet()) {
            chars += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length());
        }
        return 400 + 2 * chars;
    }

    /**
     * Writes every queued event now, in the order they were queued, {@link #FLUSH_BATCH} per
     * transaction: per organization, one reservation of sequence numbers, one batch insert and
     * one head update. An event leaves the queue only once its transaction has committed; if a
     * write fails, it and every later event stay queued, in order, for the next flush.
     */
    public synchronized void flushQueued() {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            for (Iterator<Pending> it = queue.iterator(); it.hasNext() && batch.size() < FLUSH_BATCH; ) batch.add(it.next());
            if (batch.isEmpty()) return;
            Map<String, List<Pending>> byOrg = new LinkedHashMap<>();
            for (Pending p : batch) byOrg.computeIfAbsent(p.orgId(), o -> new ArrayList<>()).add(p);
            store.write(tx -> {
                byOrg.forEach((orgId, events) -> chain(tx, orgId, events));
                return null;
            });
            // only this method removes, under its lock, and appends go to the tail: the head is exactly the batch
            for (int i = 0; i < batch.size(); i++) queue.poll();
            queuedBytes.addAndGet(-batch.stream().mapToLong(AuditLog::sizeOf).sum());
            if (batch.size() < FLUSH_BATCH) return;
        }
    }

    private record Pending(String orgId, Instant time, Caller caller, String action, String target, String outcome,
                           Map<String, String> details) {}

    /** Records a refused attempt, with why ({@code details}), in a transaction of its own. */
    public void deniedWithDetails(String orgId, Caller caller, String action, String target, Map<String, String> details) {
        store.write(tx -> append(tx, orgId, caller, action, target, AuditEvent.DENIED, details));
    }

    /** Records a refused command in a transaction of its own (the command's own was never opened). */
    @Override
    public void denied(Caller caller, String action, String target) {
        if (caller.orgId() == null) return;
        store.write(tx -> append(tx, caller.orgId(), caller, action, target, AuditEvent.DENIED, Map.of()));
    }

    /** An event of {@code outcome} ({@link AuditEvent#SUCCESS} or {@link AuditEvent#DENIED}) in the transaction {@code tx}. */
    public AuditEvent append(Tx tx, String orgId, Caller caller, String action, String target, String outcome,
                              Map<String, String> details) {
        return chain(tx, orgId, List.of(new Pending(orgId, clock.instant(), caller, action, target, outcome, details))).get(0);
    }

    /** Links events of one organization onto its chain, in order, and stores them. */
    private List<AuditEvent> chain(Tx tx, String orgId, List<Pending> pending) {
        OrgStore.AuditHead head = tx.table(OrgStore.class).advanceAuditHead(orgId, pending.size());
        List<AuditEvent> events = new ArrayList<>(pending.size());
        String previous = head.previousHash();
        long seq = head.seq();
        for (Pending p : pending) {
            Caller c = p.caller();
            Map<String, String> details = Collections.unmodifiableMap(new LinkedHashMap<>(p.details()));
            AuditEvent draft = new AuditEvent(Ids.newId("evt"), orgId, seq++, p.time(), c.auditActor(), c.auditActorId(),
                c.auditOnBehalfOf(), p.action(), p.target(), c.ip(), p.outcome(), details, previous, null);
            String hash = AuditHashing.hash(draft, previous);
            events.add(new AuditEvent(draft.id(), orgId, draft.seq(), draft.time(), draft.actor(), draft.actorId(),
                draft.onBehalfOf(), draft.action(), draft.target(), draft.ip(), draft.outcome(), draft.details(), previous, hash));
            previous = hash;
        }
        tx.table(AuditStore.class).insertAll(events);
        tx.table(OrgStore.class).setAuditHead(orgId, previous);
        for (AuditEvent e : events) listener.appended(tx, e);
        return events;
    }
}
