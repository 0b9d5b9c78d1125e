// SPDX-License-Identifier: Apache-2.0
package dev.servitor.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Argon2id holds 19 MiB while it runs: forty parallel log-in attempts without a credential
 * exhausted a 256 MiB heap (issue 14, item 1's "no request may exhaust memory shared with all").
 * Only {@link Passwords#MAX_PARALLEL} checks run at once; the next waits for one to end.
 */
class PasswordsTest {
    @Test
    void a_password_check_waits_while_the_most_allowed_are_running_and_runs_when_one_ends() throws Exception {
        String hash = Passwords.hash("correct horse battery");
        Passwords.RUNNING.acquire(Passwords.MAX_PARALLEL); // as if that many checks were running
        CompletableFuture<Boolean> next;
        try {
            next = CompletableFuture.supplyAsync(() -> Passwords.matches("correct horse battery", hash));
            Thread.sleep(1_000);
            assertThat(next).as("waits while the most allowed are running").isNotDone();
        } finally {
            Passwords.RUNNING.release(Passwords.MAX_PARALLEL);
        }
        assertThat(next.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Passwords.RUNNING.availablePermits()).isEqualTo(Passwords.MAX_PARALLEL);
    }
}
