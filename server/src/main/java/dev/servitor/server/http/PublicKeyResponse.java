// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.publickey.PublicKey;
import java.io.UncheckedIOException;
import java.time.Instant;

/** A service account's public key as the API shows it: its public members only, as stored. */
public record PublicKeyResponse(String kid, String kty, String alg, JsonNode jwk, Instant createdAt, String createdBy,
                                Instant lastUsedAt) {
    static PublicKeyResponse of(PublicKey k) {
        try {
            return new PublicKeyResponse(k.kid(), k.kty(), k.alg(), Json.MAPPER.readTree(k.publicJwk()), k.createdAt(), k.createdBy(),
                k.lastUsedAt());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
