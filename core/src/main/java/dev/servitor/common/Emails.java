// SPDX-License-Identifier: Apache-2.0
package dev.servitor.common;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one e-mail address rule: users, new organizations' admins and {@code SERVITOR_ADMIN_EMAIL}.
 * Addresses are kept as given and compared by {@link #key}, case-insensitively.
 */
public final class Emails {
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s\\p{Cntrl}]{1,128}@[^@\\s\\p{Cntrl}]{1,255}");

    private Emails() {}

    public static boolean isValid(String email) {
        return email != null && ADDRESS.matcher(email).matches();
    }

    /** Returns {@code email} if it is an address, else throws 422 naming {@code field}. */
    public static String require(String field, String email) {
        if (email == null) throw ServiceException.field(ErrorCode.MISSING_FIELD, field, "'" + field + "' is required");
        if (!isValid(email)) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, field, "'" + field + "' must be an e-mail address");
        }
        return email;
    }

    /** What two addresses are compared by: {@code Admin@LocalHost} and {@code admin@localhost} are one address. */
    public static String key(String email) {
        return email.toLowerCase(Locale.ROOT);
    }

    /** The part after the {@code @}, as a {@link #key}. */
    public static String domainKey(String email) {
        return key(email.substring(email.lastIndexOf('@') + 1));
    }
}
