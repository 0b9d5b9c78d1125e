// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.policy.CredentialPolicy;
import dev.servitor.policy.CredentialPolicyStore;
import dev.servitor.policy.OnLeak;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class JdbiCredentialPolicyStore implements CredentialPolicyStore {
    private static final String CREDENTIAL_POLICIES_FIND = """
        SELECT max_key_lifetime_days, dormant_after_days, on_leak, require_network_policy
        FROM credential_policies WHERE org_id = :orgId""";
    // delete-then-insert rather than an upsert: the same statements on both engines, in the caller's transaction
    private static final String CREDENTIAL_POLICIES_DELETE = "DELETE FROM credential_policies WHERE org_id = :orgId";
    private static final String CREDENTIAL_POLICIES_INSERT = """
        INSERT INTO credential_policies (org_id, max_key_lifetime_days, dormant_after_days, on_leak, require_network_policy, updated_at)
        VALUES (:orgId, :maxDays, :dormantDays, :onLeak, :requireNetworkPolicy, :updatedAt)""";
    private static final String CREDENTIAL_EXPOSURES_INSERT = """
        INSERT INTO credential_exposures (id, org_id, credential_id, kind, action, url, source, found_at)
        VALUES (:id, :orgId, :credentialId, :kind, :action, :url, :source, :foundAt)""";
    private static final String CREDENTIAL_EXPOSURES_COUNT = "SELECT COUNT(*) FROM credential_exposures WHERE credential_id = :credentialId";

    private final Handle h;

    JdbiCredentialPolicyStore(Handle h) {
        this.h = h;
    }

    @Override
    public Optional<CredentialPolicy> find(String orgId) {
        return h.createQuery(CREDENTIAL_POLICIES_FIND).bind("orgId", orgId)
            .map((rs, ctx) -> new CredentialPolicy(nullableInt(rs, "max_key_lifetime_days"), nullableInt(rs, "dormant_after_days"),
                OnLeak.fromWire(rs.getString("on_leak")).orElse(OnLeak.REVOKE), rs.getBoolean("require_network_policy")))
            .findOne();
    }

    private static Integer nullableInt(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    @Override
    public void put(String orgId, CredentialPolicy p, Instant now) {
        h.createUpdate(CREDENTIAL_POLICIES_DELETE).bind("orgId", orgId).execute();
        h.createUpdate(CREDENTIAL_POLICIES_INSERT).bind("orgId", orgId).bind("maxDays", p.maxKeyLifetimeDays())
            .bind("dormantDays", p.dormantAfterDays()).bind("onLeak", p.onLeak().wire())
            .bind("requireNetworkPolicy", p.requireNetworkPolicy()).bind("updatedAt", Rows.millis(now)).execute();
    }

    @Override
    public void recordExposure(Exposure e) {
        h.createUpdate(CREDENTIAL_EXPOSURES_INSERT).bind("id", e.id()).bind("orgId", e.orgId()).bind("credentialId", e.credentialId())
            .bind("kind", e.kind()).bind("action", e.action()).bind("url", e.url()).bind("source", e.source())
            .bind("foundAt", Rows.millis(e.foundAt())).execute();
    }

    @Override
    public boolean exposed(String credentialId) {
        return h.createQuery(CREDENTIAL_EXPOSURES_COUNT).bind("credentialId", credentialId).mapTo(Long.class).one() > 0;
    }
}
