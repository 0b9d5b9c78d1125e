// SPDX-License-Identifier: Apache-2.0
package dev.servitor.directory;

import java.util.Optional;

/** Rows of {@code users}. */
public interface UserStore {
    void insert(User user);
    Optional<User> findById(String id);
    Optional<User> findByUsername(String orgId, String username);
    /** One page by username: at most {@code page.size() + 1} rows after {@code page.after()}. */
    java.util.List<User> list(String orgId, dev.servitor.common.PageRequest page);
    /** Users of every organization with this username (console log-in without an organization name). */
    java.util.List<User> findAllByUsername(String username);
    /** Users of every organization whose e-mail is {@code email}, compared case-insensitively ({@code Emails.key}). */
    java.util.List<User> findAllByEmail(String email);
    void update(User user);
    /** False if there was no such row (a concurrent delete came first). */
    boolean delete(String id);
    void setPasswordHash(String id, String hash);
    Optional<String> passwordHash(String id);
    /** User id to attached network policy name, for the users of the organization that have one. */
    java.util.Map<String, String> networkPolicies(String orgId);
    Optional<String> networkPolicy(String id);
    void setNetworkPolicy(String id, String policyName);
    int countByNetworkPolicy(String orgId, String policyName);
    void renameNetworkPolicy(String orgId, String from, String to);
    /** Takes the row lock (see ServiceAccountStore#lock). */
    boolean lock(String id);
}
