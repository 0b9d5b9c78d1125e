// SPDX-License-Identifier: Apache-2.0
package dev.servitor.user;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Human passwords only: Argon2id (19 MiB, 2 passes, 1 lane; OWASP's minimum), parameters kept
 * in the PHC string so they can be raised later. Keys and secrets use SHA-256 instead: they
 * carry 256 random bits.
 *
 * <p>Each hash holds 19 MiB while it runs: forty parallel log-in attempts, without any
 * credential, exhausted a 256 MiB heap. At most {@link #MAX_PARALLEL} run at once; the others
 * wait their turn (they are CPU-bound anyway) and after {@link #MAX_WAIT_SECONDS} s give up
 * with 503.
 */
public final class Passwords {
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
    static final int MAX_PARALLEL = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    static final int MAX_WAIT_SECONDS = 10;
    static final Semaphore RUNNING = new Semaphore(MAX_PARALLEL, true);
    /** Checked against when the user does not exist, so both cases cost the same time. */
    private static final String DUMMY = hash("not-a-real-password-0");
    public static final int MIN_LENGTH = 12;

    private Passwords() {}

    public static String hash(String password) {
        return oneAtATime(() -> Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult());
    }

    public static boolean matches(String password, String hash) {
        if (password == null) return false;
        String h = hash == null ? DUMMY : hash;
        boolean ok = oneAtATime(() -> Password.check(password, h).with(Argon2Function.getInstanceFromHash(h)));
        return ok && hash != null;
    }

    /** Runs one Argon2 computation when fewer than {@link #MAX_PARALLEL} are running. */
    private static <T> T oneAtATime(Supplier<T> argon2) {
        try {
            if (!RUNNING.tryAcquire(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new ServiceException(ErrorCode.UNAVAILABLE, "Too many password checks at once; retry in a moment");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(ErrorCode.UNAVAILABLE, "Interrupted while waiting to check a password");
        }
        try {
            return argon2.get();
        } finally {
            RUNNING.release();
        }
    }

    public static String requireAcceptable(String field, String password) {
        if (password.length() < MIN_LENGTH || password.length() > 1024) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, field, "'" + field + "' must be " + MIN_LENGTH + "-1024 characters");
        }
        return password;
    }
}
