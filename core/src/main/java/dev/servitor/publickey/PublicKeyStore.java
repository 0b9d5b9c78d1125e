// SPDX-License-Identifier: Apache-2.0
package dev.servitor.publickey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Rows of {@code public_keys}. */
public interface PublicKeyStore {
    /** False when the account already has a key of this kid. */
    boolean insert(PublicKey key);
    /** The account's keys, oldest first. */
    List<PublicKey> listFor(String serviceAccountId);
    Optional<PublicKey> find(String serviceAccountId, String kid);
    boolean delete(String serviceAccountId, String kid);
    void touch(String serviceAccountId, String kid, Instant usedAt);
}
