// SPDX-License-Identifier: Apache-2.0
package dev.servitor.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a secret, hex-encoded. Keys carry 256 random bits, so a slow hash would add cost
 * and no safety; only this hash is ever stored.
 */
public final class SecretHash {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private SecretHash() {}

    public static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(sha256(secret.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] sha256(byte[] data) {
        MessageDigest md = SHA256.get();
        md.reset();
        return md.digest(data);
    }

    /** Constant-time comparison of two hex hashes, so timing reveals nothing about a near miss. */
    public static boolean matches(String expectedHex, String actualHex) {
        if (expectedHex == null || actualHex == null) return false;
        return MessageDigest.isEqual(expectedHex.getBytes(StandardCharsets.US_ASCII),
            actualHex.getBytes(StandardCharsets.US_ASCII));
    }
}
