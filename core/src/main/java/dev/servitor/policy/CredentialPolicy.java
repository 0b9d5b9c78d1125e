// SPDX-License-Identifier: Apache-2.0
package dev.servitor.policy;

/**
 * An organization's credential policy. {@code maxKeyLifetimeDays} and {@code dormantAfterDays}
 * are null when unset (no maximum, no dormancy).
 */
public record CredentialPolicy(Integer maxKeyLifetimeDays, Integer dormantAfterDays, OnLeak onLeak, boolean requireNetworkPolicy) {
    public static final CredentialPolicy DEFAULT = new CredentialPolicy(null, null, OnLeak.REVOKE, false);

    public CredentialPolicy {
        if (onLeak == null) onLeak = OnLeak.REVOKE;
    }

    /**
     * A partial change: a null member stays as it is; {@code clearMaxKeyLifetime} /
     * {@code clearDormantAfter} unset a limit (the JSON {@code null}).
     */
    public record Patch(Integer maxKeyLifetimeDays, boolean clearMaxKeyLifetime, Integer dormantAfterDays, boolean clearDormantAfter,
                        OnLeak onLeak, Boolean requireNetworkPolicy) {
        public CredentialPolicy applyTo(CredentialPolicy p) {
            return new CredentialPolicy(
                clearMaxKeyLifetime ? null : maxKeyLifetimeDays != null ? maxKeyLifetimeDays : p.maxKeyLifetimeDays(),
                clearDormantAfter ? null : dormantAfterDays != null ? dormantAfterDays : p.dormantAfterDays(),
                onLeak != null ? onLeak : p.onLeak(),
                requireNetworkPolicy != null ? requireNetworkPolicy : p.requireNetworkPolicy());
        }
    }
}
