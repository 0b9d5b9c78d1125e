// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code POST /v1/service-accounts} takes. Unset fields are left out of the request so the server's
 * defaults apply ({@code role} {@code user}, not an org admin, no key).
 */
public final class NewServiceAccount {
    private final Map<String, Object> body = new LinkedHashMap<>();
    private boolean ifNotExists;

    private NewServiceAccount(String name) {
        body.put("name", name);
    }

    public static NewServiceAccount named(String name) { return new NewServiceAccount(name); }

    public NewServiceAccount description(String d) { return put("description", d); }
    public NewServiceAccount role(String r) { return put("role", r); }
    public NewServiceAccount groups(List<String> g) { return put("groups", g == null ? null : List.copyOf(g)); }
    public NewServiceAccount networkPolicy(String p) { return put("network_policy", p); }
    public NewServiceAccount orgAdmin(Boolean admin) { return put("is_org_admin", admin); }
    /** Also mint a key named {@code default}; its secret comes back once in {@link ServiceAccount#issuedKey()}. */
    public NewServiceAccount issueKey(boolean issue) { return put("issue_key", issue ? Boolean.TRUE : null); }
    /** Answer 200 with the existing account instead of 409 {@code service_account_exists}. */
    public NewServiceAccount ifNotExists(boolean v) { this.ifNotExists = v; return this; }

    boolean ifNotExists() { return ifNotExists; }
    Map<String, Object> body() { return body; }

    private NewServiceAccount put(String key, Object value) {
        if (value == null) body.remove(key);
        else body.put(key, value);
        return this;
    }
}
