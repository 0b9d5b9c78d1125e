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
 */
public final class Passwords {
    private static final int MEMORY_KIB = 19_456;
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(MEMORY_KIB, 2, 1, 32, Argon2.ID);
    /**
     * Each computation allocates its 19 MiB anew: without a bound, 100 parallel log-ins took a
     * 256 MiB heap down. At most one per CPU (one lane uses one) and a quarter of the heap run
     * at once; the others wait their turn, and after {@link #WAIT_SECONDS} get 503.
     */
    private static final Semaphore SLOTS = new Semaphore(slots(Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory()), true);
    static final long WAIT_SECONDS = 10;
    /** Checked against when the user does not exist, so both cases cost the same time. */
    private static final String DUMMY = hash("not-a-real-password-0");
    public static final int MIN_LENGTH = 12;

    private Passwords() {}

    public static String hash(String password) {
        return bounded(() -> Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult());
    }

    public static boolean matches(String password, String hash) {
        if (password == null) return false;
        String h = hash == null ? DUMMY : hash;
        boolean ok = bounded(() -> Password.check(password, h).with(Argon2Function.getInstanceFromHash(h)));
        return ok && hash != null;
    }

    static int slots(int cpus, long maxHeapBytes) {
        long byMemory = maxHeapBytes / 4 / (MEMORY_KIB * 1024L);
        return (int) Math.max(1, Math.min(cpus, byMemory));
    }

    private static <T> T bounded(Supplier<T> computation) {
        try {
            if (!SLOTS.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new ServiceException(ErrorCode.UNAVAILABLE, "Too many password checks at once; retry in a few seconds");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(ErrorCode.UNAVAILABLE, "Interrupted while waiting to check a password");
        }
        try {
            return computation.get();
        } finally {
            SLOTS.release();
        }
    }

    public static String requireAcceptable(String field, String password) {
        if (password.length() < MIN_LENGTH || password.length() > 1024) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, field, "'" + field + "' must be " + MIN_LENGTH + "-1024 characters");
        }
        return password;
    }
}
