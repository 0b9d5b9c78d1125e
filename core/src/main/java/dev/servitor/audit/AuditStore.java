// SPDX-License-Identifier: Apache-2.0
package dev.servitor.audit;

import dev.servitor.common.PageRequest;
import java.util.List;
import java.util.function.Consumer;

/** Rows of {@code audit_events}: append-only. */
public interface AuditStore {
    /** Inserts events in the order given, in one batch. */
    void insertAll(List<AuditEvent> events);
    /** Newest first; one more than the page size when there is a next page. */
    List<AuditEvent> list(String orgId, AuditQuery query, PageRequest page);
    /**
     * The organization's successful events of {@code actions} with {@code after < seq <= upTo}, in chain order, at most
     * {@code limit} (the lifecycle events' relay).
     */
    List<AuditEvent> successesAfter(String orgId, long after, long upTo, java.util.Collection<String> actions, int limit);
    /** Every event of the organization in chain order. */
    void forEachInOrder(String orgId, Consumer<AuditEvent> consumer);
}
