// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.crypto.SecretFormat;
import dev.servitor.sdk.KeyFormat;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The SDK's offline format check agrees with the server's own, key for key. */
class KeyFormatTest {
    @RepeatedTest(50)
    void accepts_every_key_the_server_mints_and_refuses_any_one_character_typo() {
        String key = SecretFormat.generate("svt");
        assertThat(KeyFormat.isWellFormed(key)).isTrue();
        assertThat(KeyFormat.isWellFormed(key, "svt")).isTrue();
        assertThat(KeyFormat.isWellFormed(key, "svs")).isFalse();
        int i = 4 + (key.hashCode() & 0x7fffffff) % 49;
        char c = key.charAt(i) == 'a' ? 'b' : 'a';
        String typo = key.substring(0, i) + c + key.substring(i + 1);
        assertThat(KeyFormat.isWellFormed(typo)).isEqualTo(SecretFormat.isWellFormed(typo)).isFalse();
    }

    @Test
    void refuses_what_is_not_a_key() {
        assertThat(KeyFormat.isWellFormed(null)).isFalse();
        assertThat(KeyFormat.isWellFormed("")).isFalse();
        assertThat(KeyFormat.isWellFormed("svt_short")).isFalse();
        String key = SecretFormat.generate("svt");
        assertThat(KeyFormat.isWellFormed(key.substring(0, key.length() - 1))).isFalse();
        assertThat(KeyFormat.isWellFormed(key.replace('_', '-'))).isFalse();
    }
}
