// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.time.Instant;
import java.util.Map;

/** One event of the organization's hash-chained audit log. Secrets never appear in events. */
public record AuditEvent(String id, Instant time, String actor, String onBehalfOf, String action, String target, String ip,
                         String outcome, Map<String, Object> details, String hash, Map<String, Object> json) {
    static AuditEvent of(Map<String, Object> o) {
        return new AuditEvent(Json.string(o, "id"), Json.instant(o, "time"), Json.string(o, "actor"),
            Json.string(o, "on_behalf_of"), Json.string(o, "action"), Json.string(o, "target"), Json.string(o, "ip"),
            Json.string(o, "outcome"), Json.frozen(Json.object(o, "details")), Json.string(o, "hash"), Json.frozen(o));
    }
}
