// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.util.Map;

/** The answer of {@code GET /v1/audit-events/verify}: whether the hash chain is intact, and where it breaks if not. */
public record AuditChain(boolean intact, long eventsChecked, String firstBrokenId, Long firstBrokenSeq, String reason,
                         Map<String, Object> json) {
    static AuditChain of(Map<String, Object> o) {
        Long n = Json.number(o, "events_checked");
        return new AuditChain(Json.bool(o, "intact"), n == null ? 0 : n, Json.string(o, "first_broken_id"),
            Json.number(o, "first_broken_seq"), Json.string(o, "reason"), Json.frozen(o));
    }
}
