// SPDX-License-Identifier: Apache-2.0
package dev.servitor.caller;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import java.util.Set;

/**
 * An authenticated request: the principal, the acting admin under impersonation (else null),
 * the credential, the permissions the principal holds and the client address. Every service
 * method takes one and makes its authorization decisions from it, so REST, SQL, CLI and
 * console cannot disagree.
 */
public record Caller(Principal principal, Principal actor, CredentialInfo credential, Set<String> permissions, String ip) {

    public static Caller system() {
        return new Caller(Principal.system(), null, null, Set.of(), null);
    }

    public String orgId() {
        return principal.orgId();
    }

    public boolean holds(String permission) {
        return Permissions.holds(permissions, permission);
    }

    /** The e-mail recorded as the audit actor: the human behind an impersonation, else the principal. */
    public String auditActor() {
        return actor != null ? actor.email() : principal.email();
    }

    /** The id of {@link #auditActor()}'s principal: the identity, where the e-mail is only a label. */
    public String auditActorId() {
        return actor != null ? actor.id() : principal.id();
    }

    public String auditOnBehalfOf() {
        return actor != null ? principal.email() : null;
    }

    /** Throws 403 unless the caller holds {@code permission}. */
    public void require(String permission) {
        if (!holds(permission)) {
            // the credential is valid, so the caller learns it lacks a permission (403, not 401)
            throw new ServiceException(ErrorCode.FORBIDDEN, "This needs the '" + permission + "' permission");
        }
    }
}
