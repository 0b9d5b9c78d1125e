// SPDX-License-Identifier: Apache-2.0
package dev.servitor.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * API keys and client secrets: {@code <prefix>_<payload><checksum>}. The payload is 43
 * characters drawn uniformly from base62 (about 256 bits); the checksum is the CRC-32 of the
 * payload's ASCII bytes in base62, 6 characters. A typo or a truncated paste is rejected by
 * {@link #isWellFormed} without any I/O. The format is public (docs/api.md) so that secret
 * scanners can recognise it.
 */
public final class SecretFormat {
    public static final int PAYLOAD_LENGTH = 43;
    public static final int CHECKSUM_LENGTH = 6;
    /** Characters of the payload kept after the prefix for display ({@code svt_AbC1}). */
    public static final int DISPLAY_CHARS = 4;
    private static final int TAIL = PAYLOAD_LENGTH + CHECKSUM_LENGTH;
    private static final int MAX_PREFIX = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFormat() {}

    public static String generate(String prefix) {
        String payload = Base62.randomString(RANDOM, PAYLOAD_LENGTH);
        return prefix + "_" + payload + checksum(payload);
    }

    public static String checksum(CharSequence payload) {
        CRC32 crc = new CRC32();
        byte[] bytes = new byte[payload.length()];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) payload.charAt(i);
        crc.update(bytes);
        return Base62.encode(crc.getValue(), CHECKSUM_LENGTH);
    }

    /** True if {@code s} is {@code <prefix>_<43 base62><6 base62 checksum>} and the checksum matches. */
    public static boolean isWellFormed(String s) {
        if (s == null) return false;
        int n = s.length();
        int underscore = n - TAIL - 1;
        if (underscore < 1 || underscore > MAX_PREFIX || s.charAt(underscore) != '_') return false;
        for (int i = 0; i < underscore; i++) {
            char c = s.charAt(i);
            if (!(Base62.isBase62(c))) return false;
        }
        for (int i = underscore + 1; i < n; i++) {
            if (!Base62.isBase62(s.charAt(i))) return false;
        }
        CharSequence payload = s.subSequence(underscore + 1, underscore + 1 + PAYLOAD_LENGTH);
        String expected = checksum(payload);
        return expected.contentEquals(s.subSequence(n - CHECKSUM_LENGTH, n));
    }

    /** True if {@code s} is well formed and carries {@code prefix}. */
    public static boolean isWellFormed(String s, String prefix) {
        return isWellFormed(s) && s.length() == prefix.length() + 1 + TAIL && s.startsWith(prefix);
    }

    /** The non-secret display form: prefix, underscore and the first payload characters. */
    public static String displayPrefix(String secret) {
        int underscore = secret.length() - TAIL - 1;
        return secret.substring(0, underscore + 1 + DISPLAY_CHARS);
    }

    public static boolean isValidPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.length() > MAX_PREFIX) return false;
        for (int i = 0; i < prefix.length(); i++) {
            if (!Base62.isBase62(prefix.charAt(i))) return false;
        }
        return true;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
