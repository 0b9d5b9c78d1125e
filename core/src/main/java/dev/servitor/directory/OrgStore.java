// SPDX-License-Identifier: Apache-2.0
package dev.servitor.directory;

import java.util.Optional;

/** Rows of {@code organizations}. */
public interface OrgStore {
    boolean any();
    void insert(Organization org);
    Optional<Organization> findById(String id);
    Optional<Organization> findByName(String name);
    /** One page by name: at most {@code page.size() + 1} rows after {@code page.after()}. */
    java.util.List<Organization> list(dev.servitor.common.PageRequest page);
    OrgSettings settings(String orgId);
    void updateSettings(String orgId, OrgSettings settings);
    /** Takes the organization's row lock for the rest of the transaction (quota checks). */
    void lock(String orgId);
    /** Adds to a monthly usage counter ({@code month} as {@code 2026-11}). */
    void addUsage(String orgId, String month, String metric, long delta);
    long usage(String orgId, String month, String metric);
    long countServiceAccounts(String orgId);
    long countUsers(String orgId);
    long countLiveKeys(String orgId, java.time.Instant now);

    /**
     * Locks the organization's audit chain for this transaction, reserves {@code count} sequence
     * numbers and returns the first of them with the head hash they chain from.
     */
    AuditHead advanceAuditHead(String orgId, int count);
    void setAuditHead(String orgId, String hash);
    String auditHead(String orgId);

    /** The name of the organization's network policy, if one is attached. */
    Optional<String> networkPolicy(String orgId);
    void setNetworkPolicy(String orgId, String policyName);
    void renameNetworkPolicy(String orgId, String from, String to);

    record AuditHead(long seq, String previousHash) {}
}
