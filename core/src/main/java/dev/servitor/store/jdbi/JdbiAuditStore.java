// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.audit.AuditDetails;
import dev.servitor.audit.AuditEvent;
import dev.servitor.audit.AuditQuery;
import dev.servitor.audit.AuditStore;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

final class JdbiAuditStore implements AuditStore {
    private static final String AUDIT_COLUMNS =
        "id, org_id, seq, time, actor, actor_id, on_behalf_of, action, target, ip, outcome, details, prev_hash, hash";
    private static final String AUDIT_INSERT = """
        INSERT INTO audit_events (id, org_id, seq, time, actor, actor_id, on_behalf_of, action, target, ip, outcome, details,
                                  prev_hash, hash)
        VALUES (:id, :orgId, :seq, :time, :actor, :actorId, :onBehalfOf, :action, :target, :ip, :outcome, :details,
                :prevHash, :hash)""";
    private static final String AUDIT_LIST_BY_ORG = "SELECT " + AUDIT_COLUMNS + " FROM audit_events WHERE org_id = :orgId";
    private static final String AUDIT_ALL_BY_ORG_IN_ORDER =
        "SELECT " + AUDIT_COLUMNS + " FROM audit_events WHERE org_id = :orgId ORDER BY seq";
    private static final String AUDIT_SUCCESSES_AFTER = "SELECT " + AUDIT_COLUMNS + """
         FROM audit_events WHERE org_id = :orgId AND seq > :after AND seq <= :upTo AND outcome = 'success'
        AND action IN (<actions>) ORDER BY seq LIMIT :limit""";

    private static final RowMapper<AuditEvent> MAPPER = (rs, ctx) -> new AuditEvent(rs.getString("id"),
        rs.getString("org_id"), rs.getLong("seq"), Rows.instant(rs, "time"), rs.getString("actor"),
        rs.getString("actor_id"), rs.getString("on_behalf_of"), rs.getString("action"), rs.getString("target"), rs.getString("ip"),
        rs.getString("outcome"), AuditDetails.fromJson(rs.getString("details")), rs.getString("prev_hash"),
        rs.getString("hash"));

    private final Handle h;

    JdbiAuditStore(Handle h) {
        this.h = h;
    }

    @Override
    public void insertAll(List<AuditEvent> events) {
        PreparedBatch batch = h.prepareBatch(AUDIT_INSERT);
        for (AuditEvent e : events) {
            batch.bind("id", e.id()).bind("orgId", e.orgId()).bind("seq", e.seq())
                .bind("time", e.time().toEpochMilli()).bind("actor", e.actor()).bind("actorId", e.actorId())
                .bind("onBehalfOf", e.onBehalfOf())
                .bind("action", e.action()).bind("target", e.target()).bind("ip", e.ip()).bind("outcome", e.outcome())
                .bind("details", AuditDetails.toJson(e.details())).bind("prevHash", e.prevHash()).bind("hash", e.hash())
                .add();
        }
        batch.execute();
    }

    @Override
    public List<AuditEvent> list(String orgId, AuditQuery q, PageRequest page) {
        StringBuilder sql = new StringBuilder(AUDIT_LIST_BY_ORG);
        if (q.actor() != null) sql.append(" AND (actor = :actor OR actor_id = :actor)");
        if (q.action() != null) sql.append(" AND action = :action");
        // a target and everything below it: "service_account:ci-bot" and "service_account:ci-bot/key:…" ('0' follows '/')
        if (q.target() != null) sql.append(" AND (target = :target OR (target >= :below AND target < :beyond))");
        if (q.since() != null) sql.append(" AND time >= :since");
        if (q.until() != null) sql.append(" AND time < :until");
        if (page.after() != null) sql.append(" AND seq < :after");
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        Query query = h.createQuery(sql.toString()).bind("orgId", orgId).bind("limit", page.size() + 1);
        if (q.actor() != null) query.bind("actor", q.actor());
        if (q.action() != null) query.bind("action", q.action());
        if (q.target() != null) query.bind("target", q.target()).bind("below", q.target() + "/").bind("beyond", q.target() + "0");
        if (q.since() != null) query.bind("since", q.since().toEpochMilli());
        if (q.until() != null) query.bind("until", q.until().toEpochMilli());
        if (page.after() != null) query.bind("after", parseSeq(page.after()));
        return query.map(MAPPER).list();
    }

    @Override
    public List<AuditEvent> successesAfter(String orgId, long after, long upTo, java.util.Collection<String> actions, int limit) {
        return h.createQuery(AUDIT_SUCCESSES_AFTER).bind("orgId", orgId).bind("after", after).bind("upTo", upTo)
            .bindList("actions", List.copyOf(actions)).bind("limit", limit).map(MAPPER).list();
    }

    @Override
    public void forEachInOrder(String orgId, Consumer<AuditEvent> consumer) {
        try (Stream<AuditEvent> events = h.createQuery(AUDIT_ALL_BY_ORG_IN_ORDER).bind("orgId", orgId)
                .setFetchSize(500).map(MAPPER).stream()) {
            events.forEach(consumer);
        }
    }

    private static long parseSeq(String token) {
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw ServiceException.field(ErrorCode.INVALID_PAGE_TOKEN, "page_token", "'page_token' is not a token this server issued");
        }
    }
}
