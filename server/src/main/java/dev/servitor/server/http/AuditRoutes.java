// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static dev.servitor.server.http.CredentialGate.caller;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.servitor.audit.AuditEvent;
import dev.servitor.audit.AuditQuery;
import dev.servitor.audit.AuditService;
import dev.servitor.audit.ChainCheck;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Map;

/** {@code /v1/audit-events}: the organization's audit log and its chain check. */
final class AuditRoutes {
    private final AuditService audit;

    AuditRoutes(AuditService audit) {
        this.audit = audit;
    }

    record EventResponse(String id, Instant time, String actor, String actorId, String onBehalfOf, String action, String target,
                         String ip, String outcome, Map<String, String> details, String hash) {
        static EventResponse of(AuditEvent e) {
            return new EventResponse(e.id(), e.time(), e.actor(), e.actorId(), e.onBehalfOf(), e.action(), e.target(), e.ip(),
                e.outcome(), e.details(), e.hash());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChainResponse(boolean intact, long eventsChecked, String firstBrokenId, Long firstBrokenSeq, String reason) {
        static ChainResponse of(ChainCheck c) {
            return new ChainResponse(c.intact(), c.eventsChecked(), c.firstBrokenId(), c.firstBrokenSeq(), c.reason());
        }
    }

    void register(JavalinConfig config) {
        config.routes.get("/v1/audit-events", this::list);
        config.routes.get("/v1/audit-events/verify", ctx -> Json.write(ctx, 200, ChainResponse.of(audit.verify(caller(ctx)))));
    }

    private void list(Context ctx) {
        AuditQuery q = new AuditQuery(QueryParams.string(ctx, "actor"), QueryParams.string(ctx, "action"),
            QueryParams.string(ctx, "target"), QueryParams.instant(ctx, "since"), QueryParams.instant(ctx, "until"));
        Json.write(ctx, 200, ListResponse.of("audit_events", audit.list(caller(ctx), q, QueryParams.page(ctx)), EventResponse::of));
    }
}
