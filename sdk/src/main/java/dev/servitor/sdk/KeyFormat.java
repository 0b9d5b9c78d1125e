// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.util.zip.CRC32;

/**
 * The public format of Servitor keys and client secrets (docs/api.md): {@code <prefix>_<payload><checksum>},
 * 43 base62 characters of payload and the CRC-32 of the payload in 6 base62 characters. A gateway can
 * refuse a typo or a truncated paste with {@link #isWellFormed} before any call to {@code /v1/verify}.
 * Well formed says nothing about validity: only the server knows whether a key is live.
 */
public final class KeyFormat {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int PAYLOAD = 43;
    private static final int CHECKSUM = 6;
    private static final int MAX_PREFIX = 16;

    private KeyFormat() {}

    /** True if {@code s} has the shape of a Servitor key or secret and its checksum matches. */
    public static boolean isWellFormed(String s) {
        if (s == null) return false;
        int underscore = s.length() - PAYLOAD - CHECKSUM - 1;
        if (underscore < 1 || underscore > MAX_PREFIX || s.charAt(underscore) != '_') return false;
        for (int i = 0; i < s.length(); i++) {
            if (i != underscore && BASE62.indexOf(s.charAt(i)) < 0) return false;
        }
        String payload = s.substring(underscore + 1, underscore + 1 + PAYLOAD);
        return checksum(payload).equals(s.substring(s.length() - CHECKSUM));
    }

    /** True if {@code s} is well formed and starts with {@code prefix_} (e.g. {@code svt} for keys, {@code svs} for secrets). */
    public static boolean isWellFormed(String s, String prefix) {
        return isWellFormed(s) && s.length() == prefix.length() + 1 + PAYLOAD + CHECKSUM && s.startsWith(prefix + "_");
    }

    static String checksum(String payload) {
        CRC32 crc = new CRC32();
        for (int i = 0; i < payload.length(); i++) crc.update(payload.charAt(i));
        long v = crc.getValue();
        char[] out = new char[CHECKSUM];
        for (int i = CHECKSUM - 1; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }
}
