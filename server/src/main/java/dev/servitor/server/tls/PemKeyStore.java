// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's TLS identity from two PEM files, as certbot, cert-manager and {@code openssl} write
 * them: a certificate chain (leaf first) and an unencrypted PKCS#8 private key
 * ({@code BEGIN PRIVATE KEY}; EC, RSA or Ed25519). The key must belong to the leaf certificate, so a
 * half-finished renewal (new certificate, old key) is refused rather than served.
 */
public final class PemKeyStore {
    /** In memory only; the keystore never touches the disk. */
    static final char[] PASSWORD = new char[0];
    static final String ALIAS = "servitor";
    private static final Pattern PKCS8 = Pattern.compile(
        "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemKeyStore() {}

    /** A problem with the files, described without their contents. */
    public static final class InvalidPem extends Exception {
        public InvalidPem(String message) {
            super(message);
        }
    }

    public static KeyStore load(Path certificateFile, Path keyFile) throws InvalidPem {
        List<X509Certificate> chain = certificates(certificateFile);
        PrivateKey key = privateKey(keyFile);
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new InvalidPem(keyFile + " is not the private key of the first certificate in " + certificateFile);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidPem("cannot hold the key of " + keyFile + ": " + e.getMessage());
        }
    }

    private static List<X509Certificate> certificates(Path file) throws InvalidPem {
        try {
            byte[] pem = Files.readAllBytes(file);
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem)).stream().map(X509Certificate.class::cast).toList();
            if (chain.isEmpty()) throw new InvalidPem(file + " holds no certificate");
            return chain;
        } catch (IOException e) {
            throw new InvalidPem("cannot read " + file + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new InvalidPem(file + " is not a PEM certificate chain");
        }
    }

    private static PrivateKey privateKey(Path file) throws InvalidPem {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new InvalidPem("cannot read " + file + ": " + e.getMessage());
        }
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new InvalidPem(file + " must hold an unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert one with "
                + "`openssl pkcs8 -topk8 -nocrypt -in old.pem -out key.pem`");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new InvalidPem(file + " is not valid base64 PEM");
        }
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // the DER names its algorithm; each factory refuses the others'
            }
        }
        throw new InvalidPem(file + " holds no EC, RSA or Ed25519 private key");
    }

    /** True if {@code key} signs what {@code pub} verifies. */
    private static boolean belongTogether(PrivateKey key, PublicKey pub) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> "Ed25519";
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
