// SPDX-License-Identifier: Apache-2.0
package dev.servitor.access;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import java.util.List;

/** The built-in roles. New service accounts get {@link #DEFAULT}. Custom roles come with the access-control issue. */
public final class Roles {
    public static final String DEFAULT = "user";
    public static final List<String> BUILT_IN = List.of("admin", "contributor", "user", "viewer", "inference-user");

    private Roles() {}

    /** Returns {@code role}, or throws 422 {@code unknown_role} naming {@code field}. */
    public static String require(String field, String role) {
        if (!BUILT_IN.contains(role)) {
            throw ServiceException.field(ErrorCode.UNKNOWN_ROLE, field,
                "'" + field + "': no role named '" + role + "' (known: " + String.join(", ", BUILT_IN) + ")");
        }
        return role;
    }
}
