// SPDX-License-Identifier: Apache-2.0
package dev.servitor.auth;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Servitor's own permissions and how a principal's set is derived. Until roles and groups
 * carry platform permissions (the access-control issue), a principal holds {@code org_admin}
 * and {@code verify} when it is an org admin, and nothing else; an org admin holds every
 * permission.
 */
public final class Permissions {
    public static final String ORG_ADMIN = "org_admin";
    public static final String VERIFY = "verify";

    private Permissions() {}

    public static Set<String> of(Principal p) {
        Set<String> out = new LinkedHashSet<>();
        if (p.orgAdmin()) {
            out.add(ORG_ADMIN);
            out.add(VERIFY);
        }
        return Set.copyOf(out);
    }

    /** Org admins hold every permission; otherwise an exact match or a {@code prefix:*} / {@code *} wildcard. */
    public static boolean holds(Set<String> held, String permission) {
        if (held.contains(ORG_ADMIN) || held.contains("*") || held.contains(permission)) return true;
        int colon = permission.indexOf(':');
        return colon > 0 && held.contains(permission.substring(0, colon) + ":*");
    }
}
