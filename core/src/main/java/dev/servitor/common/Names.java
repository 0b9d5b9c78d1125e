// SPDX-License-Identifier: Apache-2.0
package dev.servitor.common;

import dev.servitor.crypto.SecretFormat;
import java.util.regex.Pattern;

/** The naming rule shared by service accounts, users, groups, roles, policies and keys. */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    private Names() {}

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Returns {@code name} if it is valid, else throws a 422 {@code invalid_name} naming {@code field}. */
    public static String require(String field, String name) {
        if (name == null) {
            throw ServiceException.field(ErrorCode.MISSING_FIELD, field, "'" + field + "' is required");
        }
        if (SecretFormat.isWellFormed(name)) {
            // a pasted key would be stored, shown and audited in clear: refuse it without echoing it
            throw ServiceException.field(ErrorCode.INVALID_NAME, field, "'" + field + "' looks like an API key or secret");
        }
        if (!isValid(name)) {
            throw ServiceException.field(ErrorCode.INVALID_NAME, field,
                "'" + field + "' must be 1-63 characters of [A-Za-z0-9_-], starting with a letter or digit");
        }
        return name;
    }
}
