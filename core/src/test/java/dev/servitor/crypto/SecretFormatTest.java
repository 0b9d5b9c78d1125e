// SPDX-License-Identifier: Apache-2.0
package dev.servitor.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The public key format of docs/api.md, checked against an independent implementation. */
class SecretFormatTest {
    /** Written out here rather than taken from {@link Base62}, so the test does not trust the code under test. */
    private static final String ALPHABET = "0123456789" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz";
    private static final String KEY = "svt_[0-9A-Za-z]{43}[0-9A-Za-z]{6}";

    /** CRC-32 of the ASCII bytes, base62, most significant digit first, left-padded with '0' to 6. */
    private static String expectedChecksum(String payload) {
        CRC32 crc = new CRC32();
        crc.update(payload.getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        StringBuilder digits = new StringBuilder();
        while (v > 0) {
            digits.insert(0, ALPHABET.charAt((int) (v % 62)));
            v /= 62;
        }
        while (digits.length() < 6) digits.insert(0, '0');
        return digits.toString();
    }

    private static String payloadOf(String key) {
        return key.substring(4, 4 + 43);
    }

    private static String checksumOf(String key) {
        return key.substring(4 + 43);
    }

    /** A payload and checksum that form a valid key, for tests that need a fixed one. */
    private static String keyWithPayload(String prefix, String payload) {
        return prefix + "_" + payload + expectedChecksum(payload);
    }

    @Test
    void generated_key_is_prefix_underscore_43_base62_and_6_checksum_characters() {
        for (int i = 0; i < 200; i++) {
            String key = SecretFormat.generate("svt");
            assertThat(key).hasSize(4 + 43 + 6).matches(KEY);
            assertThat(SecretFormat.isWellFormed(key)).isTrue();
            assertThat(SecretFormat.isWellFormed(key, "svt")).isTrue();
        }
    }

    @Test
    void checksum_is_crc32_of_the_payload_in_base62_most_significant_digit_first() {
        for (int i = 0; i < 500; i++) {
            String key = SecretFormat.generate("svt");
            assertThat(checksumOf(key)).as(key).isEqualTo(expectedChecksum(payloadOf(key)));
        }
    }

    @Test
    void checksum_of_known_payloads_matches_hand_computed_values() {
        // CRC32("") = 0 -> "000000"; CRC32 of 43 '0's computed independently above.
        assertThat(SecretFormat.checksum("")).isEqualTo("000000");
        String zeros = "0".repeat(43);
        assertThat(SecretFormat.checksum(zeros)).isEqualTo(expectedChecksum(zeros));
        // "123456789" has the published CRC-32 check value 0xCBF43926 = 3421780262, which is
        // 3*62^5 + 45*62^4 + 35*62^3 + 27*62^2 + 22*62 + 14 -> digits 3 j Z R M E
        assertThat(SecretFormat.checksum("123456789")).isEqualTo("3jZRME");
        assertThat(expectedChecksum("123456789")).isEqualTo("3jZRME");
    }

    @Test
    void small_checksums_are_left_padded_with_zeros() {
        // search for a payload whose CRC is small enough to need padding, to prove the padding is '0' on the left
        String found = null;
        for (int i = 0; i < 5_000_000 && found == null; i++) {
            String payload = String.format("%043d", i);
            CRC32 crc = new CRC32();
            crc.update(payload.getBytes(StandardCharsets.US_ASCII));
            if (crc.getValue() < 62L * 62 * 62 * 62 * 62) found = payload;
        }
        assertThat(found).as("a payload with a CRC below 62^5").isNotNull();
        assertThat(SecretFormat.checksum(found)).startsWith("0").isEqualTo(expectedChecksum(found));
        assertThat(SecretFormat.isWellFormed(keyWithPayload("svt", found))).isTrue();
    }

    @Test
    void checksum_rejects_every_single_character_change() {
        String key = SecretFormat.generate("svt");
        int rejected = 0;
        for (int pos = 0; pos < key.length(); pos++) {
            for (char c : (ALPHABET + "_").toCharArray()) {
                if (c == key.charAt(pos)) continue;
                String typo = key.substring(0, pos) + c + key.substring(pos + 1);
                assertThat(SecretFormat.isWellFormed(typo, "svt")).as("%s at %d", typo, pos).isFalse();
                if (pos > 3) {
                    // past the prefix the checksum alone must catch it, whatever prefix is expected
                    assertThat(SecretFormat.isWellFormed(typo)).as("%s at %d", typo, pos).isFalse();
                }
                rejected++;
            }
        }
        assertThat(rejected).isEqualTo(key.length() * 62);
    }

    @Test
    void checksum_rejects_swapped_adjacent_payload_characters() {
        String payload = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        String key = keyWithPayload("svt", payload);
        assertThat(SecretFormat.isWellFormed(key)).isTrue();
        for (int i = 0; i < 42; i++) {
            char[] p = payload.toCharArray();
            char t = p[i];
            p[i] = p[i + 1];
            p[i + 1] = t;
            String swapped = "svt_" + new String(p) + checksumOf(key);
            assertThat(SecretFormat.isWellFormed(swapped)).as(swapped).isFalse();
        }
    }

    @Test
    void wrong_length_is_rejected() {
        String key = SecretFormat.generate("svt");
        assertThat(SecretFormat.isWellFormed(key.substring(0, key.length() - 1))).isFalse();
        assertThat(SecretFormat.isWellFormed(key + "0")).isFalse();
        assertThat(SecretFormat.isWellFormed(key + "0", "svt")).isFalse();
        String shortPayload = "svt_" + "a".repeat(42) + expectedChecksum("a".repeat(42));
        assertThat(SecretFormat.isWellFormed(shortPayload)).isFalse();
        assertThat(SecretFormat.isWellFormed("")).isFalse();
        assertThat(SecretFormat.isWellFormed(null)).isFalse();
        assertThat(SecretFormat.isWellFormed("svt_")).isFalse();
    }

    @Test
    void non_base62_characters_are_rejected_even_with_a_matching_crc() {
        // the checksum is computed over the bad payload, so only the alphabet check can refuse it
        for (String bad : new String[] {"-", "+", "/", "=", " ", "é", "\u0000", "_", "."}) {
            String payload = bad + "a".repeat(42);
            CRC32 crc = new CRC32();
            byte[] bytes = new byte[payload.length()];
            for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) payload.charAt(i);
            crc.update(bytes);
            long v = crc.getValue();
            StringBuilder sum = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                sum.insert(0, ALPHABET.charAt((int) (v % 62)));
                v /= 62;
            }
            String key = "svt_" + payload + sum;
            assertThat(SecretFormat.isWellFormed(key)).as("payload starting with %s", bad).isFalse();
        }
        String good = SecretFormat.generate("svt");
        assertThat(SecretFormat.isWellFormed(good.substring(0, good.length() - 1) + "!")).isFalse();
        assertThat(SecretFormat.isWellFormed("sv-" + good.substring(3))).isFalse();
    }

    @Test
    void missing_underscore_is_rejected() {
        String key = SecretFormat.generate("svt");
        String without = key.replace("_", "");
        assertThat(without).hasSize(key.length() - 1);
        assertThat(SecretFormat.isWellFormed(without)).isFalse();
        assertThat(SecretFormat.isWellFormed("svtx" + key.substring(4))).isFalse();
        assertThat(SecretFormat.isWellFormed("svt-" + key.substring(4))).isFalse();
        // no prefix at all
        assertThat(SecretFormat.isWellFormed(key.substring(3))).isFalse();
        assertThat(SecretFormat.isWellFormed(key.substring(4))).isFalse();
    }

    @Test
    void custom_prefix_produces_keys_of_that_prefix_only() {
        String key = SecretFormat.generate("acme");
        assertThat(key).startsWith("acme_").hasSize(5 + 43 + 6);
        assertThat(key.substring(5 + 43)).isEqualTo(expectedChecksum(key.substring(5, 5 + 43)));
        assertThat(SecretFormat.isWellFormed(key)).isTrue();
        assertThat(SecretFormat.isWellFormed(key, "acme")).isTrue();
        assertThat(SecretFormat.isWellFormed(key, "svt")).isFalse();
        assertThat(SecretFormat.isWellFormed(key, "acm")).isFalse();
        assertThat(SecretFormat.isWellFormed(key, "xacme")).isFalse();
        assertThat(SecretFormat.isWellFormed(SecretFormat.generate("svs"), "svs")).isTrue();
    }

    @Test
    void payload_characters_are_roughly_uniform_over_62_symbols() {
        int keys = 2000;
        Map<Character, Integer> counts = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            for (char c : payloadOf(SecretFormat.generate("svt")).toCharArray()) counts.merge(c, 1, Integer::sum);
        }
        double expected = keys * 43 / 62.0; // ~1387; sd ~37, so these bounds fail only on a real bias
        assertThat(counts.keySet()).hasSize(62);
        for (char c : ALPHABET.toCharArray()) {
            assertThat(counts.get(c)).as("count of '%s'", c).isNotNull().isBetween((int) (expected / 2), (int) (expected * 2));
        }
    }

    @Test
    void generated_keys_do_not_repeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) assertThat(seen.add(SecretFormat.generate("svt"))).isTrue();
    }

    @Test
    void display_prefix_shows_the_prefix_and_four_payload_characters_only() {
        String key = SecretFormat.generate("svt");
        assertThat(SecretFormat.displayPrefix(key)).isEqualTo("svt_" + key.substring(4, 8)).hasSize(8);
        String custom = SecretFormat.generate("acme");
        assertThat(SecretFormat.displayPrefix(custom)).isEqualTo("acme_" + custom.substring(5, 9));
    }

    @Test
    void prefixes_are_1_to_16_base62_characters() {
        assertThat(SecretFormat.isValidPrefix("svt")).isTrue();
        assertThat(SecretFormat.isValidPrefix("a")).isTrue();
        assertThat(SecretFormat.isValidPrefix("A".repeat(16))).isTrue();
        assertThat(SecretFormat.isValidPrefix("A".repeat(17))).isFalse();
        assertThat(SecretFormat.isValidPrefix("")).isFalse();
        assertThat(SecretFormat.isValidPrefix(null)).isFalse();
        assertThat(SecretFormat.isValidPrefix("sv_t")).isFalse();
        assertThat(SecretFormat.isValidPrefix("sv-t")).isFalse();
    }
}
