// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.common.Emails;
import dev.servitor.common.PageRequest;
import dev.servitor.directory.User;
import dev.servitor.directory.UserStore;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

final class JdbiUserStore implements UserStore {
    private static final String USER_COLUMNS =
        "id, org_id, username, email, role, is_org_admin, is_operator, disabled, created_at, updated_at";
    private static final String USER_INSERT = """
        INSERT INTO users (id, org_id, username, email, email_key, role, is_org_admin, is_operator, disabled, created_at, updated_at)
        VALUES (:id, :orgId, :username, :email, :emailKey, :role, :orgAdmin, :operator, :disabled, :createdAt, :updatedAt)""";
    private static final String USER_FIND_BY_ID = "SELECT " + USER_COLUMNS + " FROM users WHERE id = :id";
    private static final String USER_FIND_BY_USERNAME =
        "SELECT " + USER_COLUMNS + " FROM users WHERE org_id = :orgId AND username = :username";

    private static final String USER_LIST_BY_ORG = "SELECT " + USER_COLUMNS + " FROM users WHERE org_id = :orgId";
    private static final String USER_FIND_ALL_BY_USERNAME = "SELECT " + USER_COLUMNS + " FROM users WHERE username = :username";
    private static final String USER_FIND_ALL_BY_EMAIL_KEY = "SELECT " + USER_COLUMNS + " FROM users WHERE email_key = :emailKey";
    private static final String USER_UPDATE = """
        UPDATE users SET username = :username, email = :email, email_key = :emailKey, role = :role, is_org_admin = :orgAdmin,
               disabled = :disabled, updated_at = :updatedAt WHERE id = :id""";
    private static final String USER_DELETE = "DELETE FROM users WHERE id = :id";
    private static final String USER_SET_PASSWORD = "UPDATE users SET password_hash = :hash WHERE id = :id";
    private static final String USER_GET_PASSWORD = "SELECT password_hash FROM users WHERE id = :id";
    private static final String USER_NETWORK_POLICIES =
        "SELECT id, network_policy FROM users WHERE org_id = :orgId AND network_policy IS NOT NULL";
    private static final String USER_NETWORK_POLICY = "SELECT network_policy FROM users WHERE id = :id";
    private static final String USER_SET_NETWORK_POLICY = "UPDATE users SET network_policy = :policy WHERE id = :id";
    private static final String USER_COUNT_BY_NETWORK_POLICY = "SELECT COUNT(*) FROM users WHERE org_id = :orgId AND network_policy = :policy";
    private static final String USER_RENAME_NETWORK_POLICY =
        "UPDATE users SET network_policy = :to WHERE org_id = :orgId AND network_policy = :from";
    private static final String USER_LOCK = "UPDATE users SET updated_at = updated_at WHERE id = :id";

    private static final RowMapper<User> MAPPER = (rs, ctx) -> new User(rs.getString("id"), rs.getString("org_id"),
        rs.getString("username"), rs.getString("email"), rs.getString("role"), rs.getBoolean("is_org_admin"),
        rs.getBoolean("is_operator"), rs.getBoolean("disabled"), Rows.instant(rs, "created_at"),
        Rows.instant(rs, "updated_at"));

    private final Handle h;

    JdbiUserStore(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(User u) {
        h.createUpdate(USER_INSERT).bind("id", u.id()).bind("orgId", u.orgId()).bind("username", u.username())
            .bind("email", u.email()).bind("emailKey", Emails.key(u.email())).bind("role", u.role()).bind("orgAdmin", u.orgAdmin())
            .bind("operator", u.operator()).bind("disabled", u.disabled())
            .bind("createdAt", Rows.millis(u.createdAt())).bind("updatedAt", Rows.millis(u.updatedAt())).execute();
    }

    @Override
    public Optional<User> findById(String id) {
        return h.createQuery(USER_FIND_BY_ID).bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public Optional<User> findByUsername(String orgId, String username) {
        return h.createQuery(USER_FIND_BY_USERNAME).bind("orgId", orgId).bind("username", username).map(MAPPER).findOne();
    }

    @Override
    public boolean lock(String id) {
        return h.createUpdate(USER_LOCK).bind("id", id).execute() == 1;
    }

    @Override
    public java.util.List<User> list(String orgId, PageRequest page) {
        String sql = USER_LIST_BY_ORG + (page.after() == null ? "" : " AND username > :after") + " ORDER BY username LIMIT :limit";
        Query q = h.createQuery(sql).bind("orgId", orgId).bind("limit", page.size() + 1);
        if (page.after() != null) q.bind("after", page.after());
        return q.map(MAPPER).list();
    }

    @Override
    public java.util.List<User> findAllByUsername(String username) {
        return h.createQuery(USER_FIND_ALL_BY_USERNAME).bind("username", username).map(MAPPER).list();
    }

    @Override
    public java.util.List<User> findAllByEmail(String email) {
        return h.createQuery(USER_FIND_ALL_BY_EMAIL_KEY).bind("emailKey", Emails.key(email)).map(MAPPER).list();
    }

    @Override
    public void update(User u) {
        h.createUpdate(USER_UPDATE).bind("id", u.id()).bind("username", u.username()).bind("email", u.email())
            .bind("emailKey", Emails.key(u.email())).bind("role", u.role()).bind("orgAdmin", u.orgAdmin()).bind("disabled", u.disabled())
            .bind("updatedAt", Rows.millis(u.updatedAt())).execute();
    }

    @Override
    public boolean delete(String id) {
        return h.createUpdate(USER_DELETE).bind("id", id).execute() == 1;
    }

    @Override
    public void setPasswordHash(String id, String hash) {
        h.createUpdate(USER_SET_PASSWORD).bind("id", id).bind("hash", hash).execute();
    }

    @Override
    public Optional<String> passwordHash(String id) {
        return h.createQuery(USER_GET_PASSWORD).bind("id", id).mapTo(String.class).findOne();
    }

    @Override
    public java.util.Map<String, String> networkPolicies(String orgId) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        h.createQuery(USER_NETWORK_POLICIES).bind("orgId", orgId)
            .map((rs, ctx) -> java.util.Map.entry(rs.getString("id"), rs.getString("network_policy")))
            .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public Optional<String> networkPolicy(String id) {
        return h.createQuery(USER_NETWORK_POLICY).bind("id", id).map((rs, ctx) -> Optional.ofNullable(rs.getString(1)))
            .findOne().flatMap(o -> o);
    }

    @Override
    public void setNetworkPolicy(String id, String policyName) {
        h.createUpdate(USER_SET_NETWORK_POLICY).bind("id", id).bind("policy", policyName).execute();
    }

    @Override
    public int countByNetworkPolicy(String orgId, String policyName) {
        return h.createQuery(USER_COUNT_BY_NETWORK_POLICY).bind("orgId", orgId).bind("policy", policyName).mapTo(Integer.class).one();
    }

    @Override
    public void renameNetworkPolicy(String orgId, String from, String to) {
        h.createUpdate(USER_RENAME_NETWORK_POLICY).bind("orgId", orgId).bind("from", from).bind("to", to).execute();
    }
}
