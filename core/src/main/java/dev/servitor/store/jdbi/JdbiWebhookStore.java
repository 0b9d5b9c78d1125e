// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.common.PageRequest;
import dev.servitor.webhook.Delivery;
import dev.servitor.webhook.WebhookEndpoint;
import dev.servitor.webhook.WebhookEvent;
import dev.servitor.webhook.WebhookStore;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

final class JdbiWebhookStore implements WebhookStore {
    private static final String ENDPOINT_COLUMNS = """
        e.id, e.org_id, e.url, e.events, e.description, e.disabled, e.disabled_reason, e.secret_enc, e.previous_secret_enc,
        e.previous_expires_at, e.failing_since, e.created_at, e.updated_at, e.created_by""";
    private static final String ENDPOINT_SELECT = "SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints e";
    private static final String ENDPOINT_FIND = ENDPOINT_SELECT + " WHERE e.org_id = :orgId AND e.id = :id";
    private static final String ENDPOINT_LIST = ENDPOINT_SELECT + " WHERE e.org_id = :orgId";
    private static final String ENDPOINT_SUBSCRIBERS = ENDPOINT_SELECT + " WHERE e.org_id = :orgId AND e.disabled = FALSE";
    private static final String ENDPOINT_INSERT = """
        INSERT INTO webhook_endpoints (id, org_id, url, events, description, disabled, disabled_reason, secret_enc,
            previous_secret_enc, previous_expires_at, failing_since, created_at, updated_at, created_by)
        VALUES (:id, :orgId, :url, :events, :description, :disabled, :disabledReason, :secretEnc, :previousSecretEnc,
            :previousExpiresAt, :failingSince, :createdAt, :updatedAt, :createdBy)""";
    private static final String ENDPOINT_UPDATE = """
        UPDATE webhook_endpoints SET url = :url, events = :events, description = :description, disabled = :disabled,
            disabled_reason = :disabledReason, secret_enc = :secretEnc, previous_secret_enc = :previousSecretEnc,
            previous_expires_at = :previousExpiresAt, failing_since = :failingSince, updated_at = :updatedAt
        WHERE id = :id""";
    private static final String ENDPOINT_HEALTH = "UPDATE webhook_endpoints SET failing_since = :failingSince WHERE id = :id";
    private static final String ENDPOINT_DISABLE = """
        UPDATE webhook_endpoints SET failing_since = :failingSince, disabled = TRUE, disabled_reason = :disabledReason,
            updated_at = :now
        WHERE id = :id""";
    private static final String ENDPOINT_DELETE_DELIVERIES = "DELETE FROM webhook_deliveries WHERE endpoint_id = :id";
    private static final String ENDPOINT_DELETE = "DELETE FROM webhook_endpoints WHERE id = :id";

    private static final String EVENT_INSERT = """
        INSERT INTO webhook_events (id, org_id, type, payload, created_at) VALUES (:id, :orgId, :type, :payload, :createdAt)""";

    private static final String CURSOR_START = """
        INSERT INTO webhook_cursors (org_id, audit_seq) SELECT id, audit_seq FROM organizations WHERE id = :orgId
        ON CONFLICT (org_id) DO NOTHING""";
    private static final String CURSOR_SELECT = """
        SELECT c.org_id, c.audit_seq AS relayed, o.audit_seq AS head FROM webhook_cursors c JOIN organizations o ON o.id = c.org_id""";
    private static final String CURSOR_FIND = CURSOR_SELECT + " WHERE c.org_id = :orgId";
    private static final String CURSORS_BEHIND = CURSOR_SELECT
        + " WHERE o.audit_seq > c.audit_seq AND c.org_id > :after ORDER BY c.org_id LIMIT :limit";
    private static final RowMapper<Cursor> CURSOR = (rs, ctx) -> new Cursor(rs.getString("org_id"), rs.getLong("relayed"), rs.getLong("head"));
    private static final String CURSOR_MOVE = "UPDATE webhook_cursors SET audit_seq = :to WHERE org_id = :orgId AND audit_seq = :from";

    private static final String DELIVERY_COLUMNS = """
        d.id, d.event_id, v.type, d.endpoint_id, d.org_id, d.status, d.attempts, d.next_attempt_at, d.response_status,
        d.last_error, d.delivered_at, d.created_at""";
    private static final String DELIVERY_SELECT = "SELECT " + DELIVERY_COLUMNS
        + " FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id";
    /** Only for an endpoint that exists and is enabled (a guard: callers pass the endpoints they read in the same transaction). */
    private static final String DELIVERY_INSERT = """
        INSERT INTO webhook_deliveries (id, event_id, endpoint_id, org_id, status, attempts, next_attempt_at, response_status,
            last_error, delivered_at, created_at)
        SELECT :id, :eventId, e.id, :orgId, :status, :attempts, :nextAttemptAt, NULL, NULL, NULL, :createdAt
        FROM webhook_endpoints e WHERE e.id = :endpointId AND e.disabled = FALSE""";
    private static final String DELIVERY_FIND = DELIVERY_SELECT + " WHERE d.org_id = :orgId AND d.endpoint_id = :endpointId AND d.id = :id";
    private static final String DELIVERY_LIST = DELIVERY_SELECT + " WHERE d.endpoint_id = :endpointId ORDER BY d.created_at DESC, d.id DESC";
    private static final String DELIVERY_LIST_BEFORE = DELIVERY_SELECT
        + " WHERE d.endpoint_id = :endpointId AND (d.created_at, d.id) < (SELECT created_at, id FROM webhook_deliveries WHERE id = :before)"
        + " ORDER BY d.created_at DESC, d.id DESC";
    private static final String DELIVERY_DUE = """
        SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= :now AND e.disabled = FALSE
        ORDER BY d.next_attempt_at LIMIT :limit""";
    /** PostgreSQL: rows another node is claiming are skipped, not waited for. */
    private static final String DELIVERY_DUE_SKIP_LOCKED = DELIVERY_DUE + " FOR UPDATE OF d SKIP LOCKED";
    private static final String DELIVERY_LEASE = "UPDATE webhook_deliveries SET next_attempt_at = :leaseUntil WHERE id IN (<ids>)";
    private static final String DELIVERY_CLAIMED = "SELECT " + DELIVERY_COLUMNS + ", v.payload, v.created_at AS event_created_at"
        + " FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id WHERE d.id IN (<ids>)";
    private static final String ENDPOINTS_BY_ID = ENDPOINT_SELECT + " WHERE e.id IN (<ids>)";
    private static final String DELIVERY_RECORD = """
        UPDATE webhook_deliveries SET status = :status, attempts = :attempts, next_attempt_at = :nextAttemptAt,
            response_status = :responseStatus, last_error = :lastError, delivered_at = :deliveredAt
        WHERE id = :id""";

    private static final String DELIVERY_DELIVERED = """
        UPDATE webhook_deliveries SET status = 'delivered', attempts = :attempts, next_attempt_at = NULL,
            response_status = :responseStatus, last_error = NULL, delivered_at = :deliveredAt
        WHERE id = :id""";

    private static final RowMapper<WebhookEndpoint> ENDPOINT = (rs, ctx) -> new WebhookEndpoint(rs.getString("id"),
        rs.getString("org_id"), rs.getString("url"), Arrays.asList(rs.getString("events").split(",")), rs.getString("description"),
        rs.getBoolean("disabled"), rs.getString("disabled_reason"), rs.getString("secret_enc"), rs.getString("previous_secret_enc"),
        Rows.instant(rs, "previous_expires_at"), Rows.instant(rs, "failing_since"), Rows.instant(rs, "created_at"),
        Rows.instant(rs, "updated_at"), rs.getString("created_by"));
    private static final RowMapper<Delivery> DELIVERY = (rs, ctx) -> new Delivery(rs.getString("id"), rs.getString("event_id"),
        rs.getString("type"), rs.getString("endpoint_id"), rs.getString("org_id"), rs.getString("status"), rs.getInt("attempts"),
        Rows.instant(rs, "next_attempt_at"), (Integer) rs.getObject("response_status") == null ? null : rs.getInt("response_status"),
        rs.getString("last_error"), Rows.instant(rs, "delivered_at"), Rows.instant(rs, "created_at"));

    private final Handle h;
    private final boolean postgres;

    JdbiWebhookStore(Handle h, boolean postgres) {
        this.h = h;
        this.postgres = postgres;
    }

    @Override
    public void insertEndpoint(WebhookEndpoint e) {
        bindEndpoint(h.createUpdate(ENDPOINT_INSERT), e).bind("orgId", e.orgId()).bind("createdAt", Rows.millis(e.createdAt()))
            .bind("createdBy", e.createdBy()).execute();
    }

    private static org.jdbi.v3.core.statement.Update bindEndpoint(org.jdbi.v3.core.statement.Update u, WebhookEndpoint e) {
        return u.bind("id", e.id()).bind("url", e.url()).bind("events", String.join(",", e.events()))
            .bind("description", e.description()).bind("disabled", e.disabled()).bind("disabledReason", e.disabledReason())
            .bind("secretEnc", e.secretEnc()).bind("previousSecretEnc", e.previousSecretEnc())
            .bind("previousExpiresAt", Rows.millis(e.previousExpiresAt())).bind("failingSince", Rows.millis(e.failingSince()))
            .bind("updatedAt", Rows.millis(e.updatedAt()));
    }

    @Override
    public Optional<WebhookEndpoint> findEndpoint(String orgId, String id) {
        return h.createQuery(ENDPOINT_FIND).bind("orgId", orgId).bind("id", id).map(ENDPOINT).findOne();
    }

    @Override
    public List<WebhookEndpoint> listEndpoints(String orgId, PageRequest page) {
        var query = h.createQuery(ENDPOINT_LIST + (page.after() == null ? "" : " AND e.id > :after") + " ORDER BY e.id LIMIT :limit")
            .bind("orgId", orgId).bind("limit", page.size() + 1);
        if (page.after() != null) query.bind("after", page.after());
        return query.map(ENDPOINT).list();
    }

    @Override
    public void updateEndpoint(WebhookEndpoint e) {
        bindEndpoint(h.createUpdate(ENDPOINT_UPDATE), e).execute();
    }

    @Override
    public void deleteEndpoint(String id) {
        h.createUpdate(ENDPOINT_DELETE_DELIVERIES).bind("id", id).execute();
        h.createUpdate(ENDPOINT_DELETE).bind("id", id).execute();
    }

    @Override
    public List<WebhookEndpoint> subscribers(String orgId) {
        return h.createQuery(ENDPOINT_SUBSCRIBERS).bind("orgId", orgId).map(ENDPOINT).list();
    }

    @Override
    public void insertEvents(List<WebhookEvent> events) {
        if (events.isEmpty()) return;
        PreparedBatch batch = h.prepareBatch(EVENT_INSERT);
        for (WebhookEvent e : events) {
            batch.bind("id", e.id()).bind("orgId", e.orgId()).bind("type", e.type()).bind("payload", e.payload())
                .bind("createdAt", Rows.millis(e.createdAt())).add();
        }
        batch.execute();
    }

    @Override
    public void startCursor(String orgId) {
        h.createUpdate(CURSOR_START).bind("orgId", orgId).execute();
    }

    @Override
    public Optional<Cursor> cursor(String orgId) {
        return h.createQuery(CURSOR_FIND).bind("orgId", orgId).map(CURSOR).findOne();
    }

    @Override
    public List<Cursor> cursorsBehind(String afterOrgId, int limit) {
        return h.createQuery(CURSORS_BEHIND).bind("after", afterOrgId).bind("limit", limit).map(CURSOR).list();
    }

    @Override
    public boolean moveCursor(String orgId, long from, long to) {
        return h.createUpdate(CURSOR_MOVE).bind("orgId", orgId).bind("from", from).bind("to", to).execute() == 1;
    }

    @Override
    public void insertDeliveries(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) return;
        PreparedBatch batch = h.prepareBatch(DELIVERY_INSERT);
        for (Delivery d : deliveries) {
            batch.bind("id", d.id()).bind("eventId", d.eventId()).bind("endpointId", d.endpointId())
                .bind("orgId", d.orgId()).bind("status", d.status()).bind("attempts", d.attempts())
                .bind("nextAttemptAt", Rows.millis(d.nextAttemptAt())).bind("createdAt", Rows.millis(d.createdAt())).add();
        }
        batch.execute();
    }

    @Override
    public List<Claimed> claimDue(Instant now, Instant leaseUntil, int limit) {
        List<String> ids = h.createQuery(postgres ? DELIVERY_DUE_SKIP_LOCKED : DELIVERY_DUE).bind("now", Rows.millis(now))
            .bind("limit", limit).mapTo(String.class).list();
        if (ids.isEmpty()) return List.of();
        h.createUpdate(DELIVERY_LEASE).bindList("ids", ids).bind("leaseUntil", Rows.millis(leaseUntil)).execute();
        record Row(Delivery delivery, WebhookEvent event) {}
        List<Row> rows = h.createQuery(DELIVERY_CLAIMED).bindList("ids", ids).map((rs, ctx) -> new Row(DELIVERY.map(rs, ctx),
            new WebhookEvent(rs.getString("event_id"), rs.getString("org_id"), rs.getString("type"), rs.getString("payload"),
                Rows.instant(rs, "event_created_at")))).list();
        Map<String, WebhookEndpoint> endpoints = h.createQuery(ENDPOINTS_BY_ID)
            .bindList("ids", rows.stream().map(r -> r.delivery().endpointId()).distinct().toList())
            .map(ENDPOINT).stream().collect(Collectors.toMap(WebhookEndpoint::id, e -> e));
        return rows.stream().map(r -> new Claimed(r.delivery(), r.event(), endpoints.get(r.delivery().endpointId()))).toList();
    }

    @Override
    public void recordAttempt(String deliveryId, String status, int attempts, Instant nextAttemptAt, Integer responseStatus,
                              String lastError, Instant deliveredAt) {
        h.createUpdate(DELIVERY_RECORD).bind("id", deliveryId).bind("status", status).bind("attempts", attempts)
            .bind("nextAttemptAt", Rows.millis(nextAttemptAt)).bind("responseStatus", responseStatus).bind("lastError", lastError)
            .bind("deliveredAt", Rows.millis(deliveredAt)).execute();
    }

    @Override
    public void recordDelivered(List<Delivery> deliveries, List<Integer> statuses, Instant deliveredAt) {
        if (deliveries.isEmpty()) return;
        PreparedBatch batch = h.prepareBatch(DELIVERY_DELIVERED);
        for (int i = 0; i < deliveries.size(); i++) {
            batch.bind("id", deliveries.get(i).id()).bind("attempts", deliveries.get(i).attempts() + 1)
                .bind("responseStatus", statuses.get(i)).bind("deliveredAt", Rows.millis(deliveredAt)).add();
        }
        batch.execute();
    }

    @Override
    public Optional<Delivery> findDelivery(String orgId, String endpointId, String deliveryId) {
        return h.createQuery(DELIVERY_FIND).bind("orgId", orgId).bind("endpointId", endpointId).bind("id", deliveryId)
            .map(DELIVERY).findOne();
    }

    @Override
    public List<Delivery> listDeliveries(String endpointId, String beforeId, int limit) {
        var query = h.createQuery((beforeId == null ? DELIVERY_LIST : DELIVERY_LIST_BEFORE) + " LIMIT :limit")
            .bind("endpointId", endpointId).bind("limit", limit);
        if (beforeId != null) query.bind("before", beforeId);
        return query.map(DELIVERY).list();
    }

    @Override
    public void markHealth(String endpointId, Instant failingSince, String disabledReason, Instant now) {
        if (disabledReason == null) {
            h.createUpdate(ENDPOINT_HEALTH).bind("id", endpointId).bind("failingSince", Rows.millis(failingSince)).execute();
        } else {
            h.createUpdate(ENDPOINT_DISABLE).bind("id", endpointId).bind("failingSince", Rows.millis(failingSince))
                .bind("disabledReason", disabledReason).bind("now", Rows.millis(now)).execute();
        }
    }
}
