// SPDX-License-Identifier: Apache-2.0
package dev.servitor.policy;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.store.Tx;

/**
 * The one way to read an organization's credential policy, and the checks that enforce it on
 * a new key. Every interface (REST, SQL, CLI) reaches these through the same services.
 */
public final class CredentialPolicies {
    /** The longest {@code max_key_lifetime_days} / {@code dormant_after_days} accepted: 10 years, as a key's ttl. */
    public static final int MAX_DAYS = 3650;

    private CredentialPolicies() {}

    /** The organization's policy, {@link CredentialPolicy#DEFAULT} if it never set one. */
    public static CredentialPolicy of(Tx tx, String orgId) {
        return tx.table(CredentialPolicyStore.class).find(orgId).orElse(CredentialPolicy.DEFAULT);
    }

    /**
     * 422 {@code key_lifetime_exceeds_policy} naming {@code field} when a new key of
     * {@code lifetimeSeconds} (null: never expires) would outlive the organization's maximum.
     */
    public static void requireKeyLifetime(Tx tx, String orgId, Long lifetimeSeconds, String field) {
        Integer maxDays = of(tx, orgId).maxKeyLifetimeDays();
        if (maxDays == null) return;
        if (lifetimeSeconds == null) {
            throw ServiceException.field(ErrorCode.KEY_LIFETIME_EXCEEDS_POLICY, field,
                "The organization's credential policy allows keys of at most " + maxDays + " days: give '" + field + "'");
        }
        if (lifetimeSeconds > maxDays * 86_400L) {
            throw ServiceException.field(ErrorCode.KEY_LIFETIME_EXCEEDS_POLICY, field,
                "'" + field + "' exceeds the organization's credential policy: keys live at most " + maxDays + " days");
        }
    }

    /** The longest lifetime a new key may have under the policy, in seconds; null when unbounded. */
    public static Long maxKeyLifetimeSeconds(Tx tx, String orgId) {
        Integer maxDays = of(tx, orgId).maxKeyLifetimeDays();
        return maxDays == null ? null : maxDays * 86_400L;
    }

    /** 422 naming the field unless the patch's values are in range. */
    public static void validate(CredentialPolicy.Patch p, String prefix) {
        requireDays(prefix + "max_key_lifetime_days", p.maxKeyLifetimeDays());
        requireDays(prefix + "dormant_after_days", p.dormantAfterDays());
    }

    private static void requireDays(String field, Integer days) {
        if (days != null && (days < 1 || days > MAX_DAYS)) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, field, "'" + field + "' must be between 1 and " + MAX_DAYS);
        }
    }
}
