// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

import java.time.Instant;
import java.util.List;

/** Rows of {@code signing_keys}: public JWK in clear, private key encrypted under the master key. */
public interface SigningKeyStore {
    record Row(String kid, String algorithm, String publicJwk, String privateKeyEncrypted, Instant createdAt, Instant retiredAt) {}

    void insert(Row row);
    /** Keys not retired, or retired after {@code retiredAfter}; newest first. */
    List<Row> listUsable(Instant retiredAfter);
    /** Retires every current key at {@code at}. */
    void retireCurrent(Instant at);
}
