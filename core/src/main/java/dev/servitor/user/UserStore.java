// SPDX-License-Identifier: Apache-2.0
package dev.servitor.user;

import java.util.Optional;

/** Rows of {@code users}. */
public interface UserStore {
    void insert(User user);
    Optional<User> findById(String id);
    Optional<User> findByUsername(String orgId, String username);
    /** Takes the row lock (see ServiceAccountStore#lock). */
    boolean lock(String id);
}
