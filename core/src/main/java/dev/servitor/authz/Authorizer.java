// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authz;

import dev.servitor.audit.AuditLog;
import dev.servitor.auth.Caller;
import dev.servitor.auth.PrincipalType;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;

/**
 * Who may call what, decided before a request's input is looked at: one method per decision,
 * each refusal audited the same way ({@code outcome: denied}) and answered 403. The server's
 * permission gate asks it for every {@code /v1} route before the body is parsed, so a caller
 * without the permission learns nothing about what it sent; the services keep their own checks
 * (the same rules) for the SQL interface and as a second line.
 */
public final class Authorizer {
    private final AuditLog audit;

    public Authorizer(AuditLog audit) {
        this.audit = audit;
    }

    /** Managing the organization's service accounts, users, groups, roles, policies, workspaces and audit log. */
    public void requireOrgAdmin(Caller caller, String action, String target) {
        audit.requireOrgAdmin(caller, action, target);
    }

    /** A user's own record and personal keys: the user itself (not under impersonation) or an org admin. */
    public void requireSelfOrOrgAdmin(Caller caller, String username, String action, String target) {
        boolean self = caller.principal().type() == PrincipalType.USER && caller.principal().name().equals(username)
            && caller.actor() == null;
        if (!self) audit.requireOrgAdmin(caller, action, target);
    }

    /** Creating and listing organizations: the instance operator, acting as itself. */
    public void requireOperator(Caller caller, String action, String target) {
        audit.requireNotImpersonating(caller, action, target); // the more telling refusal of the two
        if (caller.principal().operator()) return;
        audit.denied(caller, action, target);
        throw new ServiceException(ErrorCode.FORBIDDEN, "Only an instance operator may do this");
    }

    /** A named permission, e.g. {@code verify} for a gateway. */
    public void requirePermission(Caller caller, String permission, String action, String target) {
        if (caller.holds(permission)) return;
        audit.denied(caller, action, target);
        caller.require(permission);
    }
}
