// SPDX-License-Identifier: Apache-2.0
package dev.servitor.audit;

import dev.servitor.auth.Caller;
import dev.servitor.auth.Permissions;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.ServiceException;
import dev.servitor.org.OrgStore;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends events to an organization's hash chain inside the caller's transaction, so an event
 * exists exactly when its change does. Appending takes the organization's chain lock, which
 * serializes writers of one organization on PostgreSQL.
 */
public final class AuditLog {
    private final Store store;
    private final Clock clock;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();

    public AuditLog(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public AuditEvent append(Tx tx, String orgId, Caller caller, String action, String target, Map<String, String> details) {
        return append(tx, orgId, caller, action, target, AuditEvent.SUCCESS, details);
    }

    /**
     * Queues an event of a high-rate action (token grants) to be written with others in one
     * transaction, in order, off the request path; see {@link #flushQueued()}. The event keeps
     * the time it was queued.
     */
    public void appendLater(String orgId, Caller caller, String action, String target, Map<String, String> details) {
        queue.add(new Pending(orgId, clock.instant(), caller, action, target, AuditEvent.SUCCESS, details));
    }

    /**
     * Writes every queued event now, in the order they were queued: per organization, one
     * reservation of sequence numbers, one batch insert and one head update, whatever the count.
     */
    public synchronized void flushQueued() {
        if (queue.isEmpty()) return;
        Map<String, List<Pending>> byOrg = new LinkedHashMap<>();
        for (Pending p; (p = queue.poll()) != null; ) byOrg.computeIfAbsent(p.orgId(), o -> new ArrayList<>()).add(p);
        store.write(tx -> {
            byOrg.forEach((orgId, events) -> chain(tx, orgId, events));
            return null;
        });
    }

    private record Pending(String orgId, Instant time, Caller caller, String action, String target, String outcome,
                           Map<String, String> details) {}

    /**
     * Throws 403 unless the caller is an org admin, recording the refusal first. The one check
     * behind every management command, whichever interface it came through.
     */
    public void requireOrgAdmin(Caller caller, String action, String target) {
        if (caller.holds(Permissions.ORG_ADMIN)) return;
        denied(caller, action, target);
        caller.require(Permissions.ORG_ADMIN);
    }

    /**
     * Throws 403 {@code impersonation_forbidden}, recording the refusal first, when the caller
     * acts under impersonation. An impersonation token is a two-hour view of a service account:
     * it may neither outlive itself by minting credentials nor reach the human users
     * (docs/security.md, "Impersonation").
     */
    public void requireNotImpersonating(Caller caller, String action, String target) {
        if (caller.actor() == null) return;
        denied(caller, action, target);
        throw new ServiceException(ErrorCode.IMPERSONATION_FORBIDDEN,
            "Not allowed under impersonation: use your own credential to mint credentials or change users");
    }

    /** Records a refused command in a transaction of its own (the command's own was never opened). */
    public void denied(Caller caller, String action, String target) {
        if (caller.orgId() == null) return;
        store.write(tx -> append(tx, caller.orgId(), caller, action, target, AuditEvent.DENIED, Map.of()));
    }

    private AuditEvent append(Tx tx, String orgId, Caller caller, String action, String target, String outcome,
                              Map<String, String> details) {
        return chain(tx, orgId, List.of(new Pending(orgId, clock.instant(), caller, action, target, outcome, details))).get(0);
    }

    /** Links events of one organization onto its chain, in order, and stores them. */
    private List<AuditEvent> chain(Tx tx, String orgId, List<Pending> pending) {
        OrgStore.AuditHead head = tx.orgs().advanceAuditHead(orgId, pending.size());
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
        tx.audit().insertAll(events);
        tx.orgs().setAuditHead(orgId, previous);
        return events;
    }
}
