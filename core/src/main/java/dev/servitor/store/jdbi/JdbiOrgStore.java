// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.common.PageRequest;
import dev.servitor.directory.OrgSettings;
import dev.servitor.directory.OrgStore;
import dev.servitor.directory.Organization;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

final class JdbiOrgStore implements OrgStore {
    private static final String ORG_ANY = "SELECT COUNT(*) FROM organizations";
    private static final String ORG_INSERT = """
        INSERT INTO organizations (id, name, created_at) VALUES (:id, :name, :createdAt)""";
    private static final String ORG_FIND_BY_ID = "SELECT id, name, created_at FROM organizations WHERE id = :id";
    private static final String ORG_FIND_BY_NAME = "SELECT id, name, created_at FROM organizations WHERE name = :name";
    // The UPDATE takes the row lock on PostgreSQL (and the write lock on SQLite) for the rest of the transaction.
    private static final String ORG_ADVANCE_AUDIT = "UPDATE organizations SET audit_seq = audit_seq + :count WHERE id = :id";
    private static final String ORG_READ_AUDIT = "SELECT audit_seq, audit_head FROM organizations WHERE id = :id";
    private static final String ORG_SET_AUDIT_HEAD = "UPDATE organizations SET audit_head = :hash WHERE id = :id";
    private static final String ORG_FIND_NETWORK_POLICY = "SELECT network_policy FROM organizations WHERE id = :id";
    private static final String ORG_SET_NETWORK_POLICY = "UPDATE organizations SET network_policy = :policy WHERE id = :id";
    private static final String ORG_RENAME_NETWORK_POLICY =
        "UPDATE organizations SET network_policy = :to WHERE id = :id AND network_policy = :from";

    private static final String ORG_LIST = "SELECT id, name, created_at FROM organizations";
    private static final String ORG_SETTINGS = """
        SELECT service_accounts_require_group, access_token_lifetime_seconds, max_service_accounts,
               max_keys_per_service_account, max_keys_per_user FROM organizations WHERE id = :id""";
    private static final String ORG_UPDATE_SETTINGS = """
        UPDATE organizations SET service_accounts_require_group = :requireGroup, access_token_lifetime_seconds = :lifetime,
               max_service_accounts = :maxSa, max_keys_per_service_account = :maxKeysSa, max_keys_per_user = :maxKeysUser
        WHERE id = :id""";
    private static final String ORG_LOCK = "UPDATE organizations SET audit_seq = audit_seq WHERE id = :id";
    private static final String USAGE_ADD = """
        INSERT INTO usage_counters (org_id, month, metric, value) VALUES (:orgId, :month, :metric, :delta)
        ON CONFLICT (org_id, month, metric) DO UPDATE SET value = usage_counters.value + excluded.value""";
    private static final String USAGE_GET =
        "SELECT value FROM usage_counters WHERE org_id = :orgId AND month = :month AND metric = :metric";
    private static final String ORG_COUNT_SERVICE_ACCOUNTS = "SELECT service_account_count FROM organizations WHERE id = :orgId";
    private static final String ORG_COUNT_USERS = "SELECT COUNT(*) FROM users WHERE org_id = :orgId";
    private static final String ORG_COUNT_LIVE_KEYS = """
        SELECT COUNT(*) FROM api_keys WHERE org_id = :orgId AND (revoked_at IS NULL OR revoked_at > :now)
           AND (expires_at IS NULL OR expires_at > :now)""";

    private static final RowMapper<Organization> MAPPER = (rs, ctx) ->
        new Organization(rs.getString("id"), rs.getString("name"), Rows.instant(rs, "created_at"));

    private final Handle h;

    JdbiOrgStore(Handle h) {
        this.h = h;
    }

    @Override
    public boolean any() {
        return h.createQuery(ORG_ANY).mapTo(Long.class).one() > 0;
    }

    @Override
    public void insert(Organization org) {
        h.createUpdate(ORG_INSERT).bind("id", org.id()).bind("name", org.name())
            .bind("createdAt", Rows.millis(org.createdAt())).execute();
    }

    @Override
    public Optional<Organization> findById(String id) {
        return h.createQuery(ORG_FIND_BY_ID).bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public Optional<Organization> findByName(String name) {
        return h.createQuery(ORG_FIND_BY_NAME).bind("name", name).map(MAPPER).findOne();
    }

    @Override
    public AuditHead advanceAuditHead(String orgId, int count) {
        h.createUpdate(ORG_ADVANCE_AUDIT).bind("id", orgId).bind("count", count).execute();
        return h.createQuery(ORG_READ_AUDIT).bind("id", orgId)
            .map((rs, ctx) -> new AuditHead(rs.getLong("audit_seq") - count + 1, rs.getString("audit_head"))).one();
    }

    @Override
    public void setAuditHead(String orgId, String hash) {
        h.createUpdate(ORG_SET_AUDIT_HEAD).bind("id", orgId).bind("hash", hash).execute();
    }

    @Override
    public String auditHead(String orgId) {
        return h.createQuery(ORG_READ_AUDIT).bind("id", orgId).map((rs, ctx) -> rs.getString("audit_head")).one();
    }

    @Override
    public java.util.List<Organization> list(PageRequest page) {
        String sql = ORG_LIST + (page.after() == null ? "" : " WHERE name > :after") + " ORDER BY name LIMIT :limit";
        Query q = h.createQuery(sql).bind("limit", page.size() + 1);
        if (page.after() != null) q.bind("after", page.after());
        return q.map(MAPPER).list();
    }

    @Override
    public OrgSettings settings(String orgId) {
        return h.createQuery(ORG_SETTINGS).bind("id", orgId).map((rs, ctx) -> new OrgSettings(
            rs.getBoolean("service_accounts_require_group"), rs.getLong("access_token_lifetime_seconds"),
            rs.getInt("max_service_accounts"), rs.getInt("max_keys_per_service_account"), rs.getInt("max_keys_per_user"))).one();
    }

    @Override
    public void updateSettings(String orgId, OrgSettings s) {
        h.createUpdate(ORG_UPDATE_SETTINGS).bind("id", orgId).bind("requireGroup", s.serviceAccountsRequireGroup())
            .bind("lifetime", s.accessTokenLifetimeSeconds()).bind("maxSa", s.maxServiceAccounts())
            .bind("maxKeysSa", s.maxKeysPerServiceAccount()).bind("maxKeysUser", s.maxKeysPerUser()).execute();
    }

    @Override
    public void lock(String orgId) {
        h.createUpdate(ORG_LOCK).bind("id", orgId).execute();
    }

    @Override
    public void addUsage(String orgId, String month, String metric, long delta) {
        h.createUpdate(USAGE_ADD).bind("orgId", orgId).bind("month", month).bind("metric", metric).bind("delta", delta).execute();
    }

    @Override
    public long usage(String orgId, String month, String metric) {
        return h.createQuery(USAGE_GET).bind("orgId", orgId).bind("month", month).bind("metric", metric)
            .mapTo(Long.class).findOne().orElse(0L);
    }

    @Override
    public long countServiceAccounts(String orgId) {
        return h.createQuery(ORG_COUNT_SERVICE_ACCOUNTS).bind("orgId", orgId).mapTo(Long.class).one();
    }

    @Override
    public long countUsers(String orgId) {
        return h.createQuery(ORG_COUNT_USERS).bind("orgId", orgId).mapTo(Long.class).one();
    }

    @Override
    public long countLiveKeys(String orgId, java.time.Instant now) {
        return h.createQuery(ORG_COUNT_LIVE_KEYS).bind("orgId", orgId).bind("now", now.toEpochMilli()).mapTo(Long.class).one();
    }

    @Override
    public Optional<String> networkPolicy(String orgId) {
        return h.createQuery(ORG_FIND_NETWORK_POLICY).bind("id", orgId).map((rs, ctx) -> rs.getString("network_policy"))
            .findOne().filter(java.util.Objects::nonNull);
    }

    @Override
    public void setNetworkPolicy(String orgId, String policyName) {
        h.createUpdate(ORG_SET_NETWORK_POLICY).bind("id", orgId).bind("policy", policyName).execute();
    }

    @Override
    public void renameNetworkPolicy(String orgId, String from, String to) {
        h.createUpdate(ORG_RENAME_NETWORK_POLICY).bind("id", orgId).bind("from", from).bind("to", to).execute();
    }
}
