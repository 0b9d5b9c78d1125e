// SPDX-License-Identifier: Apache-2.0
package dev.servitor.user;

import dev.servitor.common.Emails;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.config.ServitorConfig;
import dev.servitor.directory.User;
import dev.servitor.directory.UserStore;
import dev.servitor.store.Tx;

/**
 * Which e-mail address a human user may hold. The audit log and {@code /v1/verify} show the
 * address, so no user may take one that names someone else: another user's of the same
 * organization, any service account's ({@code <name>@<org>.sa.<domain>}, whatever the
 * organization) or the instance operator's ({@code SERVITOR_ADMIN_EMAIL} and every operator's
 * current address). Addresses compare case-insensitively. Another organization's users'
 * addresses stay free: refusing them would tell one tenant which addresses another one has.
 */
public final class UserEmails {
    private final String serviceAccountDomainKey;
    private final String operatorEmailKey;

    public UserEmails(String serviceAccountEmailDomain, String operatorEmail) {
        this.serviceAccountDomainKey = Emails.key("sa." + serviceAccountEmailDomain);
        this.operatorEmailKey = Emails.key(operatorEmail);
    }

    public static UserEmails of(ServitorConfig.Identity identity) {
        return new UserEmails(identity.serviceAccountEmailDomain(), identity.adminEmail());
    }

    /**
     * Returns {@code email} when it is a well-formed address that the user {@code userId} (null
     * for a new user) of {@code orgId} may hold, else throws 422 or 409 {@code email_taken}
     * naming {@code field}. The caller holds the organization's row lock, so that two writers
     * cannot both find an address free.
     */
    public String requireAvailable(Tx tx, String orgId, String userId, boolean operator, String field, String email) {
        Emails.require(field, email);
        String domain = Emails.domainKey(email);
        if (domain.equals(serviceAccountDomainKey) || domain.endsWith("." + serviceAccountDomainKey)) {
            throw ServiceException.field(ErrorCode.EMAIL_TAKEN, field,
                "'" + field + "' is in the service accounts' domain (" + serviceAccountDomainKey + "); use a real address");
        }
        boolean taken = !operator && Emails.key(email).equals(operatorEmailKey);
        for (User other : tx.table(UserStore.class).findAllByEmail(email)) {
            if (other.id().equals(userId)) continue;
            // an operator's address is reserved everywhere, and an operator's must be free everywhere
            if (other.orgId().equals(orgId) || other.operator() || operator) taken = true;
        }
        if (taken) throw ServiceException.field(ErrorCode.EMAIL_TAKEN, field, "'" + field + "' is already in use");
        return email;
    }
}
