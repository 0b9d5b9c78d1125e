// SPDX-License-Identifier: Apache-2.0
package dev.servitor.user;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;

/**
 * Human passwords only: Argon2id (19 MiB, 2 passes, 1 lane; OWASP's minimum), parameters kept
 * in the PHC string so they can be raised later. Keys and secrets use SHA-256 instead: they
 * carry 256 random bits.
 */
public final class Passwords {
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
    /** Checked against when the user does not exist, so both cases cost the same time. */
    private static final String DUMMY = hash("not-a-real-password-0");
    public static final int MIN_LENGTH = 12;

    private Passwords() {}

    public static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    public static boolean matches(String password, String hash) {
        if (password == null) return false;
        String h = hash == null ? DUMMY : hash;
        boolean ok = Password.check(password, h).with(Argon2Function.getInstanceFromHash(h));
        return ok && hash != null;
    }

    public static String requireAcceptable(String field, String password) {
        if (password.length() < MIN_LENGTH || password.length() > 1024) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, field, "'" + field + "' must be " + MIN_LENGTH + "-1024 characters");
        }
        return password;
    }
}
