// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code POST …/keys} takes: a name, an optional description, a type ({@code read_write} by default,
 * or {@code read_scaling}) and at most one of a TTL in seconds or an expiry in days (neither: no expiry).
 */
public final class NewKey {
    private final Map<String, Object> body = new LinkedHashMap<>();

    private NewKey(String name) {
        if (name != null) body.put("name", name);
    }

    public static NewKey named(String name) { return new NewKey(name); }

    public NewKey description(String d) { return put("description", d); }
    public NewKey type(String t) { return put("type", t); }
    public NewKey ttlSeconds(Long s) { return put("ttl_seconds", s); }
    public NewKey expiresInDays(Integer d) { return put("expires_in_days", d); }
    /**
     * Per-key restrictions in the API's shape ({@code permissions}, {@code allowed_ips},
     * {@code rate_limit {limit, period_seconds}}, {@code remaining_uses}, {@code refill {amount, interval}});
     * null or empty: none.
     */
    public NewKey restrictions(Map<String, Object> r) { return put("restrictions", r == null || r.isEmpty() ? null : r); }

    Map<String, Object> body() { return body; }

    private NewKey put(String k, Object v) {
        if (v == null) body.remove(k);
        else body.put(k, v);
        return this;
    }
}
