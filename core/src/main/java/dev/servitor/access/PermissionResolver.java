// SPDX-License-Identifier: Apache-2.0
package dev.servitor.access;

import dev.servitor.caller.Permissions;
import dev.servitor.directory.OrgStore;
import dev.servitor.store.Tx;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A principal's permissions: its role's, plus its groups' roles', plus {@code org_admin} and
 * {@code verify} when it is an org admin. Under {@code service_accounts_require_group} a
 * service account's direct role and org-admin flag are ignored (Datafold): only groups count.
 */
public final class PermissionResolver {
    private PermissionResolver() {}

    public static Set<String> resolve(Tx tx, String orgId, String principalId, boolean serviceAccount, String role,
                                      boolean orgAdminFlag) {
        boolean groupsOnly = serviceAccount && tx.table(OrgStore.class).settings(orgId).serviceAccountsRequireGroup();
        return resolve(tx, orgId, groupsOnly, role, orgAdminFlag, tx.table(AccessStore.class).groupsOf(principalId));
    }

    /** The same, for a caller that already has the organization's group rule and the principal's group names. */
    public static Set<String> resolve(Tx tx, String orgId, boolean groupsOnly, String role, boolean orgAdminFlag, List<String> groups) {
        Set<String> out = new LinkedHashSet<>();
        if (!groupsOnly) {
            out.addAll(permissionsOf(tx, orgId, role));
            if (orgAdminFlag) {
                out.add(Permissions.ORG_ADMIN);
                out.add(Permissions.VERIFY);
            }
        }
        for (String groupName : groups) {
            tx.table(AccessStore.class).findGroup(orgId, groupName).ifPresent(g -> g.roles().forEach(r -> out.addAll(permissionsOf(tx, orgId, r))));
        }
        if (out.contains(Permissions.ORG_ADMIN)) out.add(Permissions.VERIFY);
        return Set.copyOf(out);
    }

    static List<String> permissionsOf(Tx tx, String orgId, String role) {
        if (role == null) return List.of();
        List<String> builtIn = Roles.BUILT_IN.get(role);
        if (builtIn != null) return builtIn;
        return tx.table(AccessStore.class).findRole(orgId, role).map(Role::permissions).orElse(List.of());
    }
}
