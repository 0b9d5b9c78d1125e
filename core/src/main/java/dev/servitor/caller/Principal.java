// SPDX-License-Identifier: Apache-2.0
package dev.servitor.caller;

/**
 * Who a credential stands for, as the hot path needs it: identity, organization and the flags
 * that decide what it may do. Cached; any change to the account evicts it.
 */
public record Principal(String id, PrincipalType type, String name, String email, String orgId, String orgName,
                        String role, boolean orgAdmin, boolean operator, boolean disabled) {

    /** The actor of events that no caller made, such as the first start. */
    public static Principal system() {
        return new Principal("system", PrincipalType.SYSTEM, "system", "system", null, null, null, false, true, false);
    }
}
