// SPDX-License-Identifier: Apache-2.0
package dev.servitor.crypto;

import java.util.Random;

/** The base62 alphabet {@code 0-9A-Za-z}, in that order, as docs/api.md defines for keys. */
public final class Base62 {
    public static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Base62() {}

    /** {@code length} characters each drawn uniformly from the alphabet. */
    public static String randomString(Random random, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET.charAt(random.nextInt(62));
        }
        return new String(out);
    }

    public static boolean isBase62(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** {@code value} (non-negative) in base62, most significant digit first, left-padded with '0'. */
    public static String encode(long value, int width) {
        char[] out = new char[width];
        long v = value;
        for (int i = width - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (v % 62));
            v /= 62;
        }
        if (v != 0) throw new IllegalArgumentException("value does not fit in " + width + " digits");
        return new String(out);
    }
}
