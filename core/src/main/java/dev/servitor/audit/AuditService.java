// SPDX-License-Identifier: Apache-2.0
package dev.servitor.audit;

import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.directory.OrgStore;
import dev.servitor.store.Store;
import java.util.List;

/** Reading the audit log of the caller's organization and checking its hash chain. */
public final class AuditService {
    private final Store store;
    private final Authorizer authz;

    public AuditService(Store store, Authorizer authz) {
        this.store = store;
        this.authz = authz;
    }

    public Page<AuditEvent> list(Caller caller, AuditQuery query, PageRequest page) {
        authorize(caller, "audit.list");
        List<AuditEvent> rows = store.read(tx -> tx.table(AuditStore.class).list(caller.orgId(), query, page));
        return Page.of(rows, page, e -> Long.toString(e.seq()));
    }

    /** Re-computes every hash of the caller's organization and compares the newest with the recorded head. */
    public ChainCheck verify(Caller caller) {
        authorize(caller, "audit.verify");
        return store.read(tx -> {
            ChainWalker walker = new ChainWalker();
            tx.table(AuditStore.class).forEachInOrder(caller.orgId(), walker);
            return walker.result(tx.table(OrgStore.class).auditHead(caller.orgId()));
        });
    }

    private void authorize(Caller caller, String action) {
        authz.requireOrgAdmin(caller, action, "audit");
    }

    private static final class ChainWalker implements java.util.function.Consumer<AuditEvent> {
        private String prev = "";
        private long expectedSeq = 1;
        private long checked;
        private AuditEvent broken;
        private String reason;

        @Override
        public void accept(AuditEvent e) {
            if (broken != null) return;
            checked++;
            if (e.seq() != expectedSeq) {
                fail(e, "sequence gap: expected " + expectedSeq);
            } else if (!e.prevHash().equals(prev)) {
                fail(e, "previous hash does not match");
            } else if (!AuditHashing.hash(e, prev).equals(e.hash())) {
                fail(e, "event was altered");
            }
            prev = e.hash();
            expectedSeq++;
        }

        private void fail(AuditEvent e, String why) {
            broken = e;
            reason = why;
        }

        ChainCheck result(String head) {
            if (broken != null) return new ChainCheck(false, checked, broken.id(), broken.seq(), reason);
            if (!prev.equals(head)) return new ChainCheck(false, checked, null, expectedSeq, "newest events are missing");
            return new ChainCheck(true, checked, null, null, null);
        }
    }
}
