// SPDX-License-Identifier: Apache-2.0
package dev.servitor.directory;

import dev.servitor.common.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rows of {@code service_accounts}; every call is scoped to one organization. */
public interface ServiceAccountStore {
    void insert(ServiceAccount sa);
    Optional<ServiceAccount> findByName(String orgId, String name, Instant now);
    Optional<ServiceAccount> findById(String id, Instant now);
    /**
     * The account (its live-key count left at 0), its organization's name and group rule and its
     * group names in one statement: a cold verification's store read.
     */
    Optional<ServiceAccountPrincipal> findPrincipalById(String id);
    /** One more than the page size is returned when there is a next page. */
    List<ServiceAccount> list(String orgId, ServiceAccountFilter filter, PageRequest page, Instant now);
    void update(ServiceAccount sa);
    /** Takes the row lock, so that concurrent key creations for one account run one after another. */
    boolean lock(String id);
    /** False if there was no such row (a concurrent delete came first). */
    boolean delete(String id);

    /** Service account id to network policy name, for the accounts of the organization that have one. */
    Map<String, String> networkPolicies(String orgId);
    int countByNetworkPolicy(String orgId, String policyName);
    void renameNetworkPolicy(String orgId, String from, String to);
}
