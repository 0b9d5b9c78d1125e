// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authz;

import dev.servitor.caller.Caller;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.caller.OwnerKind;
import dev.servitor.caller.Permissions;
import dev.servitor.caller.Principal;
import dev.servitor.caller.PrincipalType;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;

/**
 * Every rule about who may do what, one method per decision. A {@code require...} method throws
 * the refusal (403, or 403 {@code impersonation_forbidden}), recording it first as an
 * {@code outcome: denied} event; a {@code may...} method answers a decision whose refusal the
 * caller must not learn of (RFC 7009, RFC 7662, another tenant's credential) and records nothing.
 * The server's permission gate asks it for every {@code /v1} route before the body is parsed, so
 * a caller without the permission learns nothing about what it sent; the services ask it again
 * (the same rules) for the SQL interface and as a second line.
 */
public final class Authorizer {
    private final RefusalLog refusals;

    public Authorizer(RefusalLog refusals) {
        this.refusals = refusals;
    }

    /** Managing the organization's service accounts, users, groups, roles, policies, workspaces and audit log. */
    public void requireOrgAdmin(Caller caller, String action, String target) {
        if (caller.holds(Permissions.ORG_ADMIN)) return;
        refusals.denied(caller, action, target);
        caller.require(Permissions.ORG_ADMIN);
    }

    /**
     * Minting credentials and changing users: not under impersonation. An impersonation token is
     * a two-hour view of a service account: it may neither outlive itself by minting credentials
     * nor reach the human users (docs/security.md, "Impersonation").
     */
    public void requireNotImpersonating(Caller caller, String action, String target) {
        if (caller.actor() == null) return;
        refusals.denied(caller, action, target);
        throw new ServiceException(ErrorCode.IMPERSONATION_FORBIDDEN,
            "Not allowed under impersonation: use your own credential to mint credentials or change users");
    }

    /**
     * Whether the caller is this user itself, acting as itself (not under impersonation, nor with a
     * restricted key: one that could change the user's password or its own restrictions would not
     * stay restricted).
     */
    public boolean isSelf(Caller caller, String username) {
        return caller.principal().type() == PrincipalType.USER && caller.principal().name().equals(username) && caller.actor() == null
            && (caller.credential() == null || !caller.credential().restricted());
    }

    /** A user's own record and personal keys: the user itself (not under impersonation) or an org admin. */
    public void requireSelfOrOrgAdmin(Caller caller, String username, String action, String target) {
        if (!isSelf(caller, username)) requireOrgAdmin(caller, action, target);
    }

    /** An owner's API keys: an org admin for every owner; a user also for its own personal keys. */
    public void requireKeyManagement(Caller caller, KeyOwnerRef owner, String action) {
        if (owner.kind() == OwnerKind.USER) requireSelfOrOrgAdmin(caller, owner.name(), action, owner.auditTarget());
        else requireOrgAdmin(caller, action, owner.auditTarget());
    }

    /**
     * Changing a user: an org admin; the user itself for its own e-mail and password, but not for
     * the {@code privileged} fields (role, admin rights, disabled, network policy). Never under
     * impersonation.
     */
    public void requireUserUpdate(Caller caller, String username, boolean privileged) {
        String target = "user:" + username;
        if (!isSelf(caller, username) || privileged) requireOrgAdmin(caller, "user.update", target);
        requireNotImpersonating(caller, "user.update", target);
    }

    /** Creating and listing organizations: the instance operator, acting as itself. */
    public void requireOperator(Caller caller, String action, String target) {
        requireNotImpersonating(caller, action, target); // the more telling refusal of the two
        if (caller.principal().operator()) return;
        refusals.denied(caller, action, target);
        throw new ServiceException(ErrorCode.FORBIDDEN, "Only an instance operator may do this");
    }

    /** A named permission, e.g. {@code verify} for a gateway. */
    public void requirePermission(Caller caller, String permission, String action, String target) {
        if (caller.holds(permission)) return;
        refusals.denied(caller, action, target);
        caller.require(permission);
    }

    /** Asking about someone else's credential ({@code /v1/verify}, forward auth): the {@code verify} permission. */
    public void requireVerifier(Caller gateway) {
        requirePermission(gateway, Permissions.VERIFY, "credential.verify", "verify");
    }

    /** Whether a verifying caller may learn anything of a credential: its own organization's, or any for an operator. */
    public boolean maySeeCredentialOf(Caller gateway, Caller subject) {
        return subject == null || gateway.principal().operator() || subject.orgId().equals(gateway.orgId());
    }

    /** Whether a verified credential may do what a gateway asks about: no permission asked, or one it holds. */
    public boolean mayExercise(Caller subject, String permission) {
        return permission == null || subject.holds(permission);
    }

    /**
     * Starting an impersonation of a service account ({@code POST .../impersonate}, or the token
     * exchange's actor): an org admin, acting as itself (an impersonation cannot start another one).
     */
    public void requireImpersonationStart(Caller admin, String target) {
        if (admin.holds(Permissions.ORG_ADMIN) && admin.actor() == null) return;
        refusals.denied(admin, "impersonation.start", target);
        admin.require(Permissions.ORG_ADMIN);
        throw new ServiceException(ErrorCode.FORBIDDEN, "An impersonation cannot start another one");
    }

    /**
     * Whether an impersonation token still stands: its admin ({@code actor}, null when gone) is
     * enabled, still an org admin, and of the impersonated account's organization.
     */
    public boolean impersonationStands(Principal actor, String orgId) {
        return actor != null && !actor.disabled() && actor.orgAdmin() && actor.orgId().equals(orgId);
    }

    /**
     * Whether introspection may show the caller a credential ({@code subject}, null when unknown):
     * of the caller's organization (any for an operator), and the caller holds {@code verify} or
     * it is the caller's own.
     */
    public boolean mayIntrospect(Caller caller, Caller subject) {
        if (subject == null) return false;
        boolean sameOrg = caller.principal().operator() || subject.orgId().equals(caller.orgId());
        boolean allowed = caller.holds(Permissions.VERIFY) || subject.principal().id().equals(caller.principal().id());
        return sameOrg && allowed;
    }

    /** Whether the caller may revoke a token of {@code subject}: its own, or as an org admin of its organization. */
    public boolean mayRevokeToken(Caller caller, Principal subject) {
        return subject.id().equals(caller.principal().id())
            || (caller.holds(Permissions.ORG_ADMIN) && subject.orgId().equals(caller.orgId()));
    }
}
