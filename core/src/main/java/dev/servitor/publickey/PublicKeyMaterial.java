// SPDX-License-Identifier: Apache-2.0
package dev.servitor.publickey;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A public key as sent to {@code POST …/public-keys}, checked: EC on P-256 or RSA of 2048 to
 * 8192 bits, public members only. Whatever is wrong is 422 naming the field ({@code jwk} or
 * {@code pem}); a private key is refused before anything of it is parsed further, and its
 * members never reach a message, a log line or the store.
 */
public record PublicKeyMaterial(String kid, String kty, String alg, JWK publicJwk) {
    public static final int MIN_RSA_BITS = 2048;
    public static final int MAX_RSA_BITS = 8192;
    /** The longest JWK or PEM taken, in characters (an 8192-bit RSA key's is about 1,500). */
    public static final int MAX_CHARS = 16_384;
    /** A kid names the key in a URL path: unreserved characters only (RFC 3986), as a thumbprint's base64url is. */
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._~-]{1,128}");
    /** The private members of EC, RSA and symmetric JWKs (RFC 7518 section 6). */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    /** The key of a JWK given as a JSON object's text. */
    public static PublicKeyMaterial fromJwk(String json) {
        if (json == null || json.length() > MAX_CHARS) throw invalid("jwk", "The JWK must be a JSON object of at most " + MAX_CHARS + " characters");
        Map<String, Object> members;
        try {
            members = JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw invalid("jwk", "The JWK is not a JSON object");
        }
        for (String m : members.keySet()) {
            if (PRIVATE_MEMBERS.contains(m)) {
                throw invalid("jwk", "The JWK holds a private or symmetric key member ('" + m + "'): send the public key only");
            }
        }
        JWK jwk;
        try {
            jwk = JWK.parse(members);
        } catch (ParseException | RuntimeException e) {
            throw invalid("jwk", "The JWK is not a valid EC or RSA public key");
        }
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) throw invalid("jwk", "The JWK's 'use' must be 'sig'");
        String kid = jwk.getKeyID();
        if (kid != null && !KID.matcher(kid).matches()) {
            throw invalid("jwk", "The JWK's 'kid' must be 1 to 128 letters, digits, '.', '_', '~' or '-'");
        }
        return of(jwk, "jwk", kid);
    }

    /** The key of a PEM {@code PUBLIC KEY} block (SubjectPublicKeyInfo, as {@code openssl pkey -pubout} writes it). */
    public static PublicKeyMaterial fromPem(String pem) {
        if (pem == null || pem.length() > MAX_CHARS) throw invalid("pem", "The PEM must be at most " + MAX_CHARS + " characters");
        if (pem.contains("PRIVATE KEY")) throw invalid("pem", "This is a private key: send the public key only (openssl pkey -pubout)");
        String begin = "-----BEGIN PUBLIC KEY-----";
        String end = "-----END PUBLIC KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) throw invalid("pem", "Expected a '" + begin + "' block (openssl pkey -pubout writes one)");
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to).trim());
        } catch (IllegalArgumentException e) {
            throw invalid("pem", "The PEM block is not valid base64");
        }
        return of(decode(der), "pem", null);
    }

    /** Whether an assertion signed with {@code alg} may be verified with this key. */
    public static boolean accepts(JWK key, JWSAlgorithm alg) {
        if (key.getAlgorithm() != null) return key.getAlgorithm().equals(alg); // the key was announced for one algorithm
        if (key instanceof ECKey) return JWSAlgorithm.ES256.equals(alg);
        return JWSAlgorithm.RS256.equals(alg) || JWSAlgorithm.PS256.equals(alg);
    }

    private static JWK decode(byte[] der) {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return new RSAKey.Builder((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec)).build();
        } catch (Exception notRsa) {
            try {
                ECPublicKey ec = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (!Curve.P_256.equals(curve)) throw invalid("pem", "An EC key must be on P-256");
                return new ECKey.Builder(curve, ec).build();
            } catch (ServiceException e) {
                throw e;
            } catch (Exception notEc) {
                throw invalid("pem", "The PEM is not an EC P-256 or RSA public key");
            }
        }
    }

    private static PublicKeyMaterial of(JWK jwk, String field, String kid) {
        if (jwk.isPrivate()) throw invalid(field, "A private key: send the public key only");
        String alg;
        if (jwk instanceof ECKey ec) {
            if (!Curve.P_256.equals(ec.getCurve())) throw invalid(field, "An EC key must be on P-256 (ES256)");
            alg = "ES256";
        } else if (jwk instanceof RSAKey rsa) {
            int bits = rsa.size();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw invalid(field, "An RSA key must have " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " bits; this one has " + bits);
            }
            BigInteger e = rsa.getPublicExponent().decodeToBigInteger();
            if (e.compareTo(BigInteger.valueOf(3)) < 0 || !e.testBit(0)) {
                // with e = 1 any message is its own signature: anyone could sign for the account
                throw invalid(field, "An RSA key's public exponent must be odd and at least 3 (usually 65537)");
            }
            alg = "RS256";
        } else {
            throw invalid(field, "Only EC P-256 and RSA keys are accepted");
        }
        if (jwk.getAlgorithm() != null) {
            JWSAlgorithm declared = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
            boolean fits = jwk instanceof ECKey ? JWSAlgorithm.ES256.equals(declared)
                : JWSAlgorithm.RS256.equals(declared) || JWSAlgorithm.PS256.equals(declared);
            if (!fits) throw invalid(field, "The key's 'alg' must be ES256 for EC, RS256 or PS256 for RSA");
            alg = declared.getName();
        }
        try {
            String id = kid != null ? kid : jwk.computeThumbprint().toString();
            JWK stored = jwk instanceof ECKey ec ? new ECKey.Builder(ec.toPublicJWK()).keyID(id).build()
                : new RSAKey.Builder(((RSAKey) jwk).toPublicJWK()).keyID(id).build();
            return new PublicKeyMaterial(id, jwk.getKeyType().getValue(), alg, stored);
        } catch (JOSEException e) {
            throw invalid(field, "The key's thumbprint cannot be computed");
        }
    }

    private static ServiceException invalid(String field, String detail) {
        return ServiceException.field(ErrorCode.INVALID_VALUE, field, detail);
    }
}
