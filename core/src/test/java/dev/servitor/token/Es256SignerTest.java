// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Es256SignerTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void matchesTheRfc6979P256Sha256VectorForSample() throws Exception {
        // RFC 6979 appendix A.2.5: P-256, SHA-256, message "sample"
        ECParameterSpec p256 = p256();
        KeyFactory kf = KeyFactory.getInstance("EC");
        ECPrivateKey priv = (ECPrivateKey) kf.generatePrivate(new ECPrivateKeySpec(
            new BigInteger("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16), p256));
        ECPublicKey pub = (ECPublicKey) kf.generatePublic(new ECPublicKeySpec(new ECPoint(
            new BigInteger("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6", 16),
            new BigInteger("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299", 16)), p256));

        byte[] sig = new Es256Signer(priv, new ECDSAVerifier(pub)).signRaw("sample".getBytes(StandardCharsets.US_ASCII));

        assertThat(HEX.formatHex(sig)).isEqualToIgnoringCase(
            "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
                + "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8");
    }

    @Test
    void everySignatureVerifiesWithTheJdkAndIsAlways64Bytes() throws Exception {
        KeyPair kp = generate("secp256r1");
        Es256Signer signer = new Es256Signer((ECPrivateKey) kp.getPrivate(), new ECDSAVerifier((ECPublicKey) kp.getPublic()));
        Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] input = new byte[random.nextInt(600)];
            random.nextBytes(input);
            byte[] sig = signer.signRaw(input);
            assertThat(sig).hasSize(64);
            jdk.initVerify(kp.getPublic());
            jdk.update(input);
            assertThat(jdk.verify(sig)).as("input %d", i).isTrue();
            input = input.length == 0 ? new byte[] {1} : input;
            input[0] ^= 1;
            jdk.initVerify(kp.getPublic());
            jdk.update(input);
            assertThat(jdk.verify(sig)).as("altered input %d", i).isFalse();
        }
    }

    @Test
    void refusesAKeyOffP256AKeyPairThatDisagreesAndAnyOtherAlgorithm() throws Exception {
        KeyPair p384 = generate("secp384r1");
        assertThatThrownBy(() -> new Es256Signer((ECPrivateKey) p384.getPrivate(), new ECDSAVerifier((ECPublicKey) p384.getPublic())))
            .isInstanceOf(JOSEException.class).hasMessageContaining("P-256");

        KeyPair a = generate("secp256r1");
        KeyPair b = generate("secp256r1");
        assertThatThrownBy(() -> new Es256Signer((ECPrivateKey) a.getPrivate(), new ECDSAVerifier((ECPublicKey) b.getPublic())))
            .isInstanceOf(JOSEException.class).hasMessageContaining("disagree");

        Es256Signer signer = new Es256Signer((ECPrivateKey) a.getPrivate(), new ECDSAVerifier((ECPublicKey) a.getPublic()));
        assertThatThrownBy(() -> signer.sign(new JWSHeader(JWSAlgorithm.ES384), new byte[] {1}))
            .isInstanceOf(JOSEException.class);
    }

    private static KeyPair generate(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static ECParameterSpec p256() throws Exception {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        return params.getParameterSpec(ECParameterSpec.class);
    }
}
