// SPDX-License-Identifier: Apache-2.0
package dev.servitor.network;

import java.time.Instant;
import java.util.List;

/**
 * A named allow list and block list of addresses or CIDRs. The entries are kept as given
 * (validated by {@link IpRules#parse}); an empty allow list allows every address not blocked.
 */
public record NetworkPolicy(String id, String orgId, String name, String description, List<String> allowedIps,
                            List<String> blockedIps, Instant createdAt, Instant updatedAt, String createdBy) {
    public NetworkPolicy {
        allowedIps = List.copyOf(allowedIps);
        blockedIps = List.copyOf(blockedIps);
    }
}
