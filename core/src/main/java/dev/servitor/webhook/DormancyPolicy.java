// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import dev.servitor.store.Tx;

/**
 * How long an organization's keys may go unused before they are announced as {@code key.dormant}
 * and revoked: the organization's {@code credential_policy.dormant_after_days}.
 */
@FunctionalInterface
public interface DormancyPolicy {
    /** No organization has dormant keys. */
    DormancyPolicy NONE = (tx, orgId) -> null;

    /** Days without use after which a key of {@code orgId} is dormant; null (or less than 1): never. */
    Integer dormantAfterDays(Tx tx, String orgId);
}
