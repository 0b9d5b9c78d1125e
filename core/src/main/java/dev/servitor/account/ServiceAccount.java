// SPDX-License-Identifier: Apache-2.0
package dev.servitor.account;

import java.time.Instant;
import java.util.List;

/**
 * A machine identity of one organization. Its {@code id} never changes (it is also the OAuth
 * client id); its name may. It can hold up to the configured number of live API keys and can
 * never log in to the console.
 */
public record ServiceAccount(String id, String orgId, String name, String description, String role,
                             List<String> groups, String networkPolicy, boolean orgAdmin, boolean disabled,
                             Instant createdAt, Instant updatedAt, String createdBy, int keyCount,
                             List<String> linkedUsers) {

    /** {@code <name>@<org>.sa.<domain>}: shown in audit logs, never deliverable. */
    public static String email(String name, String orgName, String domain) {
        return name + "@" + orgName + ".sa." + domain;
    }
}
