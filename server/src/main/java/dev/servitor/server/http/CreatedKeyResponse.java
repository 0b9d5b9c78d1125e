// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.apikey.CreatedKey;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/** The answer that carries a new key's secret: the only one that ever does. */
public record CreatedKeyResponse(String id, String name, String description, String type, String prefix,
                                 Instant createdAt, Instant expiresAt, String key,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> restrictions) {
    static CreatedKeyResponse of(CreatedKey c) {
        return new CreatedKeyResponse(c.key().id(), c.key().name(), c.key().description(), c.key().type().wire(),
            c.key().prefix(), c.key().createdAt(), c.key().expiresAt(), c.secret(), KeyResponse.restrictionsOf(c.key()));
    }

    @Override
    public String toString() {
        return "CreatedKeyResponse[" + id + "]"; // never print the secret
    }
}
