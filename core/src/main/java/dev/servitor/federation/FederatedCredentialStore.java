// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import dev.servitor.common.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Rows of {@code federated_credentials}. */
public interface FederatedCredentialStore {
    void insert(FederatedCredential credential);
    Optional<FederatedCredential> findByName(String serviceAccountId, String name);
    /** One more than the page size is returned when there is a next page. */
    List<FederatedCredential> list(String serviceAccountId, PageRequest page);
    /** Every credential of the account. */
    List<FederatedCredential> listAll(String serviceAccountId);

    /** A credential with its issuer. */
    record WithIssuer(FederatedCredential credential, FederationIssuer issuer) {}

    /** Every credential of the account, each with its issuer, ordered by name, in one query: what {@link ExchangeCandidates} holds. */
    List<WithIssuer> listWithIssuers(String serviceAccountId);
    int countByIssuer(String issuerId);
    List<FederatedCredential> listByIssuer(String issuerId);
    void update(FederatedCredential credential);
    void delete(String id);
    void touch(String id, Instant usedAt);
}
