// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authn;

import dev.servitor.access.PermissionResolver;
import dev.servitor.caller.Permissions;
import dev.servitor.caller.Principal;
import dev.servitor.caller.PrincipalType;
import dev.servitor.directory.OrgStore;
import dev.servitor.directory.Organization;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountPrincipal;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.directory.User;
import dev.servitor.directory.UserStore;
import dev.servitor.store.Tx;
import java.util.Optional;
import java.util.Set;

/**
 * Reads who a credential stands for: a service account ({@code sa_…}) or a user, with the
 * permissions it holds now (its role's, its groups', and {@code org_admin} when it is an
 * organization admin, as {@link PermissionResolver} resolves them). Nothing here caches: the
 * {@link CredentialVerifier} caches what it returns and evicts it on every change.
 */
public final class PrincipalLoader {
    private final String serviceAccountEmailDomain;

    /** The holder of a credential: the principal and the permissions it holds. */
    public record Holder(Principal principal, Set<String> permissions) {}

    public PrincipalLoader(String serviceAccountEmailDomain) {
        this.serviceAccountEmailDomain = serviceAccountEmailDomain;
    }

    /** The principal with this id as of {@code tx}, empty if there is none. */
    public Optional<Holder> load(Tx tx, String id) {
        return id.startsWith("sa_")
            ? tx.table(ServiceAccountStore.class).findPrincipalById(id).map(p -> ofServiceAccount(tx, p))
            : tx.table(UserStore.class).findById(id).map(u -> ofUser(tx, u));
    }

    /** {@code orgAdmin} is the effective flag: false when only groups count and none grants it. */
    private Holder ofServiceAccount(Tx tx, ServiceAccountPrincipal p) {
        ServiceAccount sa = p.account();
        String orgName = p.orgName();
        Set<String> perms = PermissionResolver.resolve(tx, sa.orgId(), p.orgRequiresGroup(), sa.role(), sa.orgAdmin(), p.groups());
        return new Holder(new Principal(sa.id(), PrincipalType.SERVICE_ACCOUNT, sa.name(),
            ServiceAccount.email(sa.name(), orgName, serviceAccountEmailDomain), sa.orgId(), orgName, sa.role(),
            perms.contains(Permissions.ORG_ADMIN), false, sa.disabled()), perms);
    }

    private Holder ofUser(Tx tx, User u) {
        String orgName = tx.table(OrgStore.class).findById(u.orgId()).map(Organization::name).orElse("");
        Set<String> perms = PermissionResolver.resolve(tx, u.orgId(), u.id(), false, u.role(), u.orgAdmin());
        return new Holder(new Principal(u.id(), PrincipalType.USER, u.username(), u.email(), u.orgId(), orgName, u.role(),
            perms.contains(Permissions.ORG_ADMIN), u.operator(), u.disabled()), perms);
    }
}
