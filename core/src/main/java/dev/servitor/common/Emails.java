// SPDX-License-Identifier: Apache-2.0
package dev.servitor.common;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one e-mail address rule: users, new organizations' admins and {@code SERVITOR_ADMIN_EMAIL}.
 * No spaces, no control or invisible format characters (a zero-width space would make a
 * look-alike of any address) and no trailing dot in the domain. Addresses are kept as given and
 * compared by {@link #key}.
 */
public final class Emails {
    private static final String CHAR = "[^@\\s\\p{Z}\\p{C}]";
    private static final Pattern ADDRESS = Pattern.compile(CHAR + "{1,128}@" + CHAR + "{0,254}[^@\\s\\p{Z}\\p{C}.]");

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

    /**
     * What two addresses are compared by: case-insensitive, by compatibility form and without a
     * trailing dot, so that {@code Admin@LocalHost}, a full-width {@code ａdmin@localhost} and
     * {@code admin@localhost．} are all {@code admin@localhost}.
     */
    public static String key(String email) {
        String key = Normalizer.normalize(email, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        int end = key.length();
        while (end > 0 && key.charAt(end - 1) == '.') end--;
        return key.substring(0, end);
    }

    /** The part after the {@code @}, as a {@link #key}. */
    public static String domainKey(String email) {
        String key = key(email);
        return key.substring(key.lastIndexOf('@') + 1);
    }
}
