// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that encrypts signing keys at rest (AES-256-GCM, the key id as associated data).
 * From {@code SERVITOR_MASTER_KEY} (base64 of 32 bytes; give every node the same one), or else
 * a file {@code master.key} in the data directory, created with mode 0600 on first start.
 */
public final class MasterKey {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    private MasterKey(byte[] bytes) {
        if (bytes.length != 32) throw new IllegalArgumentException("the master key must be 32 bytes (base64-encoded)");
        this.key = new SecretKeySpec(bytes, "AES");
    }

    public static MasterKey fromBase64(String encoded) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded.trim().replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SERVITOR_MASTER_KEY is not base64 of 32 bytes");
        }
        return new MasterKey(bytes);
    }

    /** Reads {@code dir/master.key}, creating it (0600) with 32 random bytes when missing. */
    public static MasterKey fromFile(Path dir) {
        Path file = dir.resolve("master.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
            }
            return fromBase64(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    public static String generateBase64() {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        return Base64.getEncoder().encodeToString(fresh);
    }

    public String encrypt(String plaintext, String associatedData) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** Throws if the ciphertext was altered or another master key made it. */
    public String decrypt(String encoded, String associatedData) {
        try {
            byte[] all = Base64.getDecoder().decode(encoded);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt signing key " + associatedData
                + ": wrong master key (SERVITOR_MASTER_KEY or data/master.key)?", e);
        }
    }
}
