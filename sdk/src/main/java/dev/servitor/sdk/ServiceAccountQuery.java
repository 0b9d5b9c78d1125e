// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.util.LinkedHashMap;
import java.util.Map;

/** Filters of {@code GET /v1/service-accounts}: name prefix, role, group, disabled; and the page size. */
public final class ServiceAccountQuery {
    private final Map<String, String> params = new LinkedHashMap<>();

    public static ServiceAccountQuery all() { return new ServiceAccountQuery(); }

    /** Names starting with this prefix. */
    public ServiceAccountQuery q(String prefix) { return put("q", prefix); }
    public ServiceAccountQuery role(String role) { return put("role", role); }
    public ServiceAccountQuery group(String group) { return put("group", group); }
    public ServiceAccountQuery disabled(Boolean disabled) { return put("disabled", disabled == null ? null : disabled.toString()); }
    /** Page size asked of the server (1–1000; default 50). */
    public ServiceAccountQuery pageSize(Integer size) { return put("page_size", size == null ? null : size.toString()); }

    Map<String, String> params() { return params; }

    private ServiceAccountQuery put(String k, String v) {
        if (v == null) params.remove(k);
        else params.put(k, v);
        return this;
    }
}
