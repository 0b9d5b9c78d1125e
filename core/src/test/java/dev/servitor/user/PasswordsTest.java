// SPDX-License-Identifier: Apache-2.0
package dev.servitor.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many Argon2 computations (19 MiB each) may run at once. */
class PasswordsTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void the_launchers_256_mib_heap_allows_no_more_than_a_quarter_of_it_in_hashes() {
        assertThat(Passwords.slots(2, 256 * MIB)).isEqualTo(2);
        assertThat(Passwords.slots(64, 256 * MIB)).as("three 19 MiB hashes fit in 64 MiB").isEqualTo(3);
    }

    @Test
    void one_computation_per_cpu_at_most_and_never_none() {
        assertThat(Passwords.slots(4, 16 * 1024 * MIB)).isEqualTo(4);
        assertThat(Passwords.slots(8, 16 * MIB)).isEqualTo(1);
    }

    @Test
    void a_password_still_hashes_and_checks() {
        String hash = Passwords.hash("correct horse battery staple");
        assertThat(Passwords.matches("correct horse battery staple", hash)).isTrue();
        assertThat(Passwords.matches("wrong horse battery staple", hash)).isFalse();
        assertThat(Passwords.matches("anything at all", null)).isFalse();
    }
}
