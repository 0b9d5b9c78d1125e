// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import dev.servitor.common.PageRequest;
import java.util.List;
import java.util.Optional;

/** Rows of {@code federation_issuers}; every call is scoped to one organization. */
public interface IssuerStore {
    void insert(FederationIssuer issuer);
    Optional<FederationIssuer> findByName(String orgId, String name);
    Optional<FederationIssuer> findById(String id);
    /** One more than the page size is returned when there is a next page. */
    List<FederationIssuer> list(String orgId, PageRequest page);
    void update(FederationIssuer issuer);
    void delete(String id);
}
