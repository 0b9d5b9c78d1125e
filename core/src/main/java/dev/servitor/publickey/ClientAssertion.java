// SPDX-License-Identifier: Apache-2.0
package dev.servitor.publickey;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One {@code private_key_jwt} client assertion (RFC 7523 sections 2.2 and 3; OpenID Connect Core
 * section 9), parsed and then checked against the account's public keys. Each failed check is a
 * {@link Refused} naming its reason, for the audit event only: the client is answered one
 * uniform {@code invalid_client}.
 */
final class ClientAssertion {
    /** The algorithms accepted: never {@code none}, never HMAC (a public key is no shared secret). */
    static final List<String> ALGORITHMS = List.of("ES256", "RS256", "PS256");
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    static final Duration SKEW = Duration.ofSeconds(60);
    static final int MAX_CHARS = 16_384;
    static final int MAX_JTI_CHARS = 255;

    private final JWT jwt;
    private final JWTClaimsSet claims;

    private ClientAssertion(JWT jwt, JWTClaimsSet claims) {
        this.jwt = jwt;
        this.claims = claims;
    }

    /** A failed check; {@code reason} is a stable word for the audit event. */
    static final class Refused extends RuntimeException {
        private final String reason;

        Refused(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /**
     * The assertion, parsed but not yet trusted: only a malformed one is refused here, so that
     * an unsigned one or one of a refused algorithm can still be told to the account it names.
     */
    static ClientAssertion parse(String assertion) {
        if (assertion.length() > MAX_CHARS) throw new Refused("malformed");
        try {
            JWT parsed = JWTParser.parse(assertion);
            JWTClaimsSet claims = parsed.getJWTClaimsSet(); // null for an encrypted JWT, whose claims cannot be read
            if (claims == null) throw new Refused("malformed");
            return new ClientAssertion(parsed, claims);
        } catch (ParseException e) {
            throw new Refused("malformed");
        }
    }

    /** The client id it claims to come from ({@code iss}), not yet proven; null when absent. */
    String claimedClientId() {
        String iss = claims.getIssuer();
        return iss == null || iss.isEmpty() ? null : iss;
    }

    /** RFC 7523 section 3: a client assertion is issued by the client about itself. */
    void requireIssEqualsSub() {
        if (!claims.getIssuer().equals(claims.getSubject())) throw new Refused("iss_sub_mismatch");
    }

    String jti() {
        return claims.getJWTID();
    }

    Instant expiresAt() {
        return claims.getExpirationTime().toInstant();
    }

    /**
     * How long its {@code jti} must be remembered: until the assertion would be refused for its
     * expiry anyway, which is {@link #SKEW} after its {@code exp}.
     */
    Instant rememberUntil() {
        return expiresAt().plus(SKEW);
    }

    /**
     * The key of {@code keys} that signed it: the one its {@code kid} names, else any that fits
     * its algorithm. Then the claims: {@code aud} names one of {@code audiences}, {@code exp}
     * lies ahead but not past {@link #MAX_LIFETIME}, {@code nbf} (if any) has come, and a
     * {@code jti} is present.
     */
    PublicKey verify(List<PublicKey> keys, Set<String> audiences, Instant now) {
        // alg none, or an encrypted JWT; then an algorithm outside the allow-list (HMAC above all)
        if (!(jwt instanceof SignedJWT signed)) throw new Refused("alg_not_allowed");
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg.getName())) throw new Refused("alg_not_allowed");
        String kid = signed.getHeader().getKeyID();
        PublicKey signer = null;
        boolean anyFits = false;
        for (PublicKey key : keys) {
            if (kid != null && !kid.equals(key.kid())) continue;
            JWK jwk = jwk(key);
            if (!PublicKeyMaterial.accepts(jwk, alg)) continue;
            anyFits = true;
            if (signedBy(signed, jwk)) {
                signer = key;
                break;
            }
        }
        if (signer == null) {
            throw new Refused(kid != null && keys.stream().noneMatch(k -> kid.equals(k.kid())) ? "unknown_kid"
                : anyFits ? "bad_signature" : "alg_key_mismatch");
        }
        List<String> aud = claims.getAudience();
        if (aud == null || aud.stream().noneMatch(audiences::contains)) throw new Refused("wrong_audience");
        if (claims.getExpirationTime() == null) throw new Refused("exp_missing");
        Instant exp = expiresAt();
        if (exp.isBefore(now.minus(SKEW))) throw new Refused("expired");
        if (exp.isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) throw new Refused("exp_too_far");
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(SKEW))) {
            throw new Refused("not_yet_valid");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty()) throw new Refused("jti_missing");
        if (jti.length() > MAX_JTI_CHARS) throw new Refused("malformed");
        return signer;
    }

    private static JWK jwk(PublicKey key) {
        try {
            return JWK.parse(key.publicJwk());
        } catch (ParseException e) {
            throw new IllegalStateException("stored public key " + key.kid() + " does not parse", e);
        }
    }

    private static boolean signedBy(SignedJWT jwt, JWK jwk) {
        try {
            JWSVerifier verifier = jwk instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAKey) jwk);
            return jwt.verify(verifier);
        } catch (JOSEException e) {
            return false;
        }
    }
}
