// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Filters of {@code GET /v1/audit-events}: actor email, action ({@code key.create}), target, time window. */
public final class AuditQuery {
    private final Map<String, String> params = new LinkedHashMap<>();

    public static AuditQuery all() { return new AuditQuery(); }

    public AuditQuery actor(String a) { return put("actor", a); }
    public AuditQuery action(String a) { return put("action", a); }
    public AuditQuery target(String t) { return put("target", t); }
    public AuditQuery since(Instant t) { return put("since", t == null ? null : t.toString()); }
    public AuditQuery until(Instant t) { return put("until", t == null ? null : t.toString()); }
    /** A time as the server takes it (RFC 3339), passed through unchanged. */
    public AuditQuery since(String t) { return put("since", t); }
    public AuditQuery until(String t) { return put("until", t); }
    public AuditQuery pageSize(Integer n) { return put("page_size", n == null ? null : n.toString()); }

    Map<String, String> params() { return params; }

    private AuditQuery put(String k, String v) {
        if (v == null) params.remove(k);
        else params.put(k, v);
        return this;
    }
}
