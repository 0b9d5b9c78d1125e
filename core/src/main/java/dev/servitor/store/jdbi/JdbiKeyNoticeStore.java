// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.caller.OwnerKind;
import dev.servitor.webhook.KeyNoticeStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiKeyNoticeStore implements KeyNoticeStore {
    /** Keys neither revoked nor retiring, of an owner that exists and is enabled, not yet announced as :kind. */
    private static final String CANDIDATES = """
        SELECT k.id, k.org_id, k.owner_kind, k.name, k.created_at, k.expires_at, k.last_used_at,
            COALESCE(s.name, u.username) AS owner_name
        FROM api_keys k
        LEFT JOIN service_accounts s ON k.owner_kind = 'service_account' AND s.id = k.owner_id
        LEFT JOIN users u ON k.owner_kind = 'user' AND u.id = k.owner_id
        WHERE k.revoked_at IS NULL AND COALESCE(s.disabled, u.disabled) = FALSE
          AND NOT EXISTS (SELECT 1 FROM key_notices n WHERE n.key_id = k.id AND n.kind = :kind)""";
    private static final String EXPIRING = CANDIDATES + """

          AND k.expires_at > :after AND k.expires_at <= :until AND k.created_at < k.expires_at - :lead
        ORDER BY k.expires_at LIMIT :limit""";
    private static final String UNUSED = CANDIDATES + """

          AND k.org_id = :orgId AND (k.expires_at IS NULL OR k.expires_at > :now)
          AND COALESCE(k.last_used_at, k.created_at) <= :unusedSince
        ORDER BY k.id LIMIT :limit""";
    /** PostgreSQL: keys another node is announcing are skipped, not waited for. */
    private static final String SKIP_LOCKED = " FOR UPDATE OF k SKIP LOCKED";
    private static final String ORGS = "SELECT DISTINCT org_id FROM api_keys WHERE revoked_at IS NULL ORDER BY org_id";
    private static final String RECORD = """
        INSERT INTO key_notices (key_id, kind, org_id, announced_at) VALUES (:keyId, :kind, :orgId, :at)
        ON CONFLICT (key_id, kind) DO NOTHING""";

    private static final RowMapper<Candidate> CANDIDATE = (rs, ctx) -> new Candidate(rs.getString("id"), rs.getString("org_id"),
        OwnerKind.fromWire(rs.getString("owner_kind")), rs.getString("owner_name"), rs.getString("name"),
        Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"), Rows.instant(rs, "last_used_at"));

    private final Handle h;
    private final boolean postgres;

    JdbiKeyNoticeStore(Handle h, boolean postgres) {
        this.h = h;
        this.postgres = postgres;
    }

    @Override
    public List<Candidate> claimExpiring(String kind, Instant after, Instant until, Duration lead, int limit) {
        return h.createQuery(EXPIRING + (postgres ? SKIP_LOCKED : "")).bind("kind", kind).bind("after", Rows.millis(after))
            .bind("until", Rows.millis(until)).bind("lead", lead.toMillis()).bind("limit", limit).map(CANDIDATE).list();
    }

    @Override
    public List<Candidate> claimUnused(String orgId, String kind, Instant unusedSince, Instant now, int limit) {
        return h.createQuery(UNUSED + (postgres ? SKIP_LOCKED : "")).bind("kind", kind).bind("orgId", orgId)
            .bind("unusedSince", Rows.millis(unusedSince)).bind("now", Rows.millis(now)).bind("limit", limit).map(CANDIDATE).list();
    }

    @Override
    public List<String> orgsWithLiveKeys() {
        return h.createQuery(ORGS).mapTo(String.class).list();
    }

    @Override
    public boolean record(String keyId, String kind, String orgId, Instant at) {
        return h.createUpdate(RECORD).bind("keyId", keyId).bind("kind", kind).bind("orgId", orgId).bind("at", Rows.millis(at))
            .execute() == 1;
    }
}
