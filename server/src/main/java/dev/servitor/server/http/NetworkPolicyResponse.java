// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.network.NetworkPolicy;
import java.time.Instant;
import java.util.List;

/** A network policy as the API shows it. */
public record NetworkPolicyResponse(String id, String name, String description, List<String> allowedIps,
                                    List<String> blockedIps, Instant createdAt, Instant updatedAt, String createdBy) {
    static NetworkPolicyResponse of(NetworkPolicy p) {
        return new NetworkPolicyResponse(p.id(), p.name(), p.description(), p.allowedIps(), p.blockedIps(), p.createdAt(),
            p.updatedAt(), p.createdBy());
    }
}
