// SPDX-License-Identifier: Apache-2.0
package dev.servitor.caller;

/**
 * Permission strings and how a held set answers for a requested one. Permissions are defined
 * by the platform ({@code deployments:create}); Servitor's own are {@link #ORG_ADMIN} and
 * {@link #VERIFY}. Wildcards: {@code deployments:*} (any action on a resource),
 * {@code *:read} (one action on any resource) and {@code *} (every platform permission and
 * {@code verify}). Only {@code org_admin} itself grants {@code org_admin}, and it grants
 * everything.
 */
public final class Permissions {
    public static final String ORG_ADMIN = "org_admin";
    public static final String VERIFY = "verify";

    private Permissions() {}

    public static boolean holds(java.util.Set<String> held, String permission) {
        if (held.contains(ORG_ADMIN) || held.contains(permission)) return true;
        if (permission.equals(ORG_ADMIN)) return false; // never granted by a wildcard
        if (held.contains("*")) return true;
        int colon = permission.indexOf(':');
        return colon > 0 && (held.contains(permission.substring(0, colon) + ":*")
            || held.contains("*:" + permission.substring(colon + 1)));
    }

    /** A permission a role may list: 1-128 of {@code [A-Za-z0-9_.:*-]}. */
    public static boolean isValid(String permission) {
        return permission != null && permission.matches("[A-Za-z0-9_.:*-]{1,128}");
    }
}
