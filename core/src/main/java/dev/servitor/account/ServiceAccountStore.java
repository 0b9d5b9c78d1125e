// SPDX-License-Identifier: Apache-2.0
package dev.servitor.account;

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
     * The account without its live-key count ({@code keyCount} is 0): what the verifier needs to
     * build a principal, one index lookup instead of one plus a count over the account's keys.
     */
    Optional<ServiceAccount> findPrincipalById(String id);
    /** One more than the page size is returned when there is a next page. */
    List<ServiceAccount> list(String orgId, ServiceAccountFilter filter, PageRequest page, Instant now);
    void update(ServiceAccount sa);
    /** Takes the row lock, so that concurrent key creations for one account run one after another. */
    boolean lock(String id);
    void delete(String id);

    /** Service account id to network policy name, for the accounts of the organization that have one. */
    Map<String, String> networkPolicies(String orgId);
    int countByNetworkPolicy(String orgId, String policyName);
    void renameNetworkPolicy(String orgId, String from, String to);
}
