// SPDX-License-Identifier: Apache-2.0
package dev.servitor.audit;

import dev.servitor.auth.Caller;
import dev.servitor.auth.Permissions;
import dev.servitor.common.Ids;
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
    private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();

    public AuditLog(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public AuditEvent append(Tx tx, String orgId, Caller caller, String action, String target, Map<String, String> details) {
        return append(tx, orgId, caller, action, target, AuditEvent.SUCCESS, details);
    }

    /**
     * Queues an event of a high-rate action (token grants) to be written with others in one
     * transaction, in order, off the request path; see {@link #flushQueued()}.
     */
    public void appendLater(String orgId, Caller caller, String action, String target, Map<String, String> details) {
        queue.add(new Queued(orgId, caller, action, target, details));
    }

    /** Writes every queued event now, in the order they were queued. */
    public synchronized void flushQueued() {
        if (queue.isEmpty()) return;
        List<Queued> batch = new ArrayList<>();
        for (Queued q; (q = queue.poll()) != null; ) batch.add(q);
        store.write(tx -> {
            for (Queued q : batch) append(tx, q.orgId(), q.caller(), q.action(), q.target(), q.details());
            return null;
        });
    }

    private record Queued(String orgId, Caller caller, String action, String target, Map<String, String> details) {}

    /**
     * Throws 403 unless the caller is an org admin, recording the refusal first. The one check
     * behind every management command, whichever interface it came through.
     */
    public void requireOrgAdmin(Caller caller, String action, String target) {
        if (caller.holds(Permissions.ORG_ADMIN)) return;
        denied(caller, action, target);
        caller.require(Permissions.ORG_ADMIN);
    }

    /** Records a refused command in a transaction of its own (the command's own was never opened). */
    public void denied(Caller caller, String action, String target) {
        if (caller.orgId() == null) return;
        store.write(tx -> append(tx, caller.orgId(), caller, action, target, AuditEvent.DENIED, Map.of()));
    }

    private AuditEvent append(Tx tx, String orgId, Caller caller, String action, String target, String outcome,
                              Map<String, String> details) {
        OrgStore.AuditHead head = tx.orgs().advanceAuditHead(orgId);
        Instant now = clock.instant();
        AuditEvent draft = new AuditEvent(Ids.newId("evt"), orgId, head.seq(), now, caller.auditActor(),
            caller.auditOnBehalfOf(), action, target, caller.ip(), outcome, Collections.unmodifiableMap(new LinkedHashMap<>(details)), head.previousHash(), null);
        String hash = AuditHashing.hash(draft, head.previousHash());
        AuditEvent event = new AuditEvent(draft.id(), orgId, draft.seq(), now, draft.actor(), draft.onBehalfOf(),
            action, target, draft.ip(), outcome, draft.details(), head.previousHash(), hash);
        tx.audit().insert(event);
        tx.orgs().setAuditHead(orgId, hash);
        return event;
    }
}
