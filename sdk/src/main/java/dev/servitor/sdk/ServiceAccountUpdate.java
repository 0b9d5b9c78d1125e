// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@code PATCH} of a service account: only the fields set here are sent; {@link #clearNetworkPolicy()} sends null. */
public final class ServiceAccountUpdate {
    private final Map<String, Object> body = new LinkedHashMap<>();

    public static ServiceAccountUpdate create() { return new ServiceAccountUpdate(); }

    public ServiceAccountUpdate name(String n) { return put("name", n); }
    public ServiceAccountUpdate description(String d) { return put("description", d); }
    public ServiceAccountUpdate role(String r) { return put("role", r); }
    public ServiceAccountUpdate groups(List<String> g) { return put("groups", g == null ? null : List.copyOf(g)); }
    public ServiceAccountUpdate networkPolicy(String p) { return put("network_policy", p); }
    public ServiceAccountUpdate clearNetworkPolicy() { body.put("network_policy", null); return this; }
    public ServiceAccountUpdate orgAdmin(Boolean admin) { return put("is_org_admin", admin); }

    public boolean isEmpty() { return body.isEmpty(); }
    Map<String, Object> body() { return body; }

    private ServiceAccountUpdate put(String key, Object value) {
        if (value != null) body.put(key, value);
        return this;
    }
}
