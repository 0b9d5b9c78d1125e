// SPDX-License-Identifier: Apache-2.0
package dev.servitor.network;

import dev.servitor.common.PageRequest;
import java.util.List;
import java.util.Optional;

/** Rows of {@code network_policies}; every call is scoped to one organization. */
public interface NetworkPolicyStore {
    void insert(NetworkPolicy policy);
    Optional<NetworkPolicy> findByName(String orgId, String name);
    /** One more than the page size is returned when there is a next page. */
    List<NetworkPolicy> list(String orgId, PageRequest page);
    /** Every policy of the organization, for the enforcement snapshot. */
    List<NetworkPolicy> listAll(String orgId);
    void update(NetworkPolicy policy);
    void delete(String id);
}
