// SPDX-License-Identifier: Apache-2.0
package dev.servitor.org;

import java.util.Optional;

/** Rows of {@code organizations}. */
public interface OrgStore {
    boolean any();
    void insert(Organization org);
    Optional<Organization> findById(String id);
    Optional<Organization> findByName(String name);

    /** Locks the organization's audit chain for this transaction and returns the next sequence and the head hash. */
    AuditHead advanceAuditHead(String orgId);
    void setAuditHead(String orgId, String hash);
    String auditHead(String orgId);

    record AuditHead(long seq, String previousHash) {}
}
