// SPDX-License-Identifier: Apache-2.0
package dev.servitor.access;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in roles every organization has (Fireworks' and Semaphore's), with the platform
 * permissions they grant. New service accounts get {@link #DEFAULT}. Organizations add custom
 * roles through /v1/roles; a built-in name cannot be redefined.
 */
public final class Roles {
    public static final String DEFAULT = "user";
    public static final Map<String, List<String>> BUILT_IN = builtIn();

    private Roles() {}

    private static Map<String, List<String>> builtIn() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("admin", List.of("*"));
        m.put("contributor", List.of("*:read", "*:write", "*:create", "*:delete"));
        m.put("user", List.of("*:read", "*:write"));
        m.put("viewer", List.of("*:read"));
        m.put("inference-user", List.of("inference:*", "models:read"));
        return java.util.Collections.unmodifiableMap(m);
    }

    public static boolean isBuiltIn(String name) {
        return BUILT_IN.containsKey(name);
    }
}
