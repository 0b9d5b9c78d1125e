// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of a presented workload token against an issuer, then against a federated
 * credential. Each failed check is a {@link FederationRefusal} naming it.
 * <ul>
 * <li>{@code alg} is one of {@link #ALGORITHMS}: asymmetric only. Never {@code none}, and never an
 * HMAC, which would let anyone who has the issuer's public key "sign" with it as a shared secret.</li>
 * <li>the signature, under the issuer's key of the token's {@code kid} ({@link IssuerKeys});</li>
 * <li>{@code iss} exactly the issuer's URL;</li>
 * <li>{@code exp} required and not past, {@code nbf} and {@code iat} not in the future, each with
 * {@link #SKEW}; {@code iat} not older than the issuer's maximum token age (without {@code iat}: a
 * token that stays valid longer than that age from now is refused);</li>
 * <li>per credential: {@code aud} contains its audience, then its subject, subject prefix, claims
 * and condition.</li>
 * </ul>
 */
final class WorkloadTokens {
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
        JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    static final Duration SKEW = Duration.ofSeconds(60);
    /** Longer than any platform's identity token; a longer one is not parsed at all. */
    static final int MAX_CHARS = 16 * 1024;

    private WorkloadTokens() {}

    /** The token parsed, nothing of it trusted yet; {@code malformed_token} if it is not a signed JWT. */
    static SignedJWT parse(String token) {
        if (token == null || token.length() > MAX_CHARS) throw new FederationRefusal("malformed_token");
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            jwt.getJWTClaimsSet();
            return jwt;
        } catch (ParseException | RuntimeException e) {
            return unsigned(token);
        }
    }

    /** A token Nimbus does not take as signed: {@code alg} none is named as such, anything else is malformed. */
    private static SignedJWT unsigned(String token) {
        try {
            com.nimbusds.jwt.JWT any = com.nimbusds.jwt.JWTParser.parse(token);
            if (any instanceof com.nimbusds.jwt.PlainJWT) throw new FederationRefusal("alg_not_allowed");
        } catch (ParseException | RuntimeException e) {
            if (e instanceof FederationRefusal r) throw r;
        }
        throw new FederationRefusal("malformed_token");
    }

    /** The token's claims once its algorithm, signature, issuer and times check out. */
    static JWTClaimsSet verify(SignedJWT jwt, FederationIssuer issuer, IssuerKeys keys, Instant now) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg)) throw new FederationRefusal("alg_not_allowed");
        JWK key = keys.key(issuer, jwt.getHeader().getKeyID());
        if (!signatureValid(jwt, key)) throw new FederationRefusal("bad_signature");
        JWTClaimsSet c;
        try {
            c = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new FederationRefusal("malformed_token");
        }
        if (!issuer.issuerUrl().equals(c.getIssuer())) throw new FederationRefusal("wrong_issuer");
        Date exp = c.getExpirationTime();
        if (exp == null) throw new FederationRefusal("missing_exp");
        if (!now.isBefore(exp.toInstant().plus(SKEW))) throw new FederationRefusal("expired");
        if (c.getNotBeforeTime() != null && now.plus(SKEW).isBefore(c.getNotBeforeTime().toInstant())) {
            throw new FederationRefusal("not_yet_valid");
        }
        Duration maxAge = Duration.ofSeconds(issuer.maxTokenAgeSeconds());
        Date iat = c.getIssueTime();
        if (iat != null) {
            if (now.plus(SKEW).isBefore(iat.toInstant())) throw new FederationRefusal("issued_in_future");
            if (now.isAfter(iat.toInstant().plus(maxAge).plus(SKEW))) throw new FederationRefusal("too_old");
        } else if (exp.toInstant().isAfter(now.plus(maxAge).plus(SKEW))) {
            throw new FederationRefusal("too_old"); // no iat: valid for longer than the maximum age is too long-lived to trust
        }
        return c;
    }

    /** A verifier per key object (the key sets are cached, so their keys are the same objects): building one converts the key's numbers. */
    private static final Cache<JWK, JWSVerifier> VERIFIERS = Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

    private static JWSVerifier verifier(JWK key) throws JOSEException {
        JWSVerifier cached = VERIFIERS.getIfPresent(key);
        if (cached != null) return cached;
        JWSVerifier verifier;
        if (key instanceof RSAKey rsa) verifier = new RSASSAVerifier(rsa);
        else if (key instanceof ECKey ec) verifier = new ECDSAVerifier(ec);
        else return null; // an octet (HMAC) or OKP key: not for these algorithms
        VERIFIERS.put(key, verifier);
        return verifier;
    }

    private static boolean signatureValid(SignedJWT jwt, JWK key) {
        try {
            JWSVerifier verifier = verifier(key);
            if (verifier == null) return false;
            if (!verifier.supportedJWSAlgorithms().contains(jwt.getHeader().getAlgorithm())) return false;
            if (key.getAlgorithm() != null && !key.getAlgorithm().equals(jwt.getHeader().getAlgorithm())) return false;
            return jwt.verify(verifier);
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }

    /** Null if {@code claims} satisfy credential {@code c}, else why not. */
    static String mismatch(FederatedCredential c, JWTClaimsSet claims) {
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(c.audience())) return "wrong_audience";
        String sub = claims.getSubject();
        if (c.subject() != null && !c.subject().equals(sub)) return "subject_mismatch";
        if (c.subjectPrefix() != null && (sub == null || !sub.startsWith(c.subjectPrefix()))) return "subject_mismatch";
        Map<String, Object> all = claims.getClaims();
        for (Map.Entry<String, String> want : c.claims().entrySet()) {
            Object have = all.get(want.getKey());
            if (!(have instanceof String || have instanceof Number || have instanceof Boolean) || !want.getValue().equals(scalar(have))) {
                return "claims_mismatch";
            }
        }
        if (c.condition() != null && !CelCondition.holds(c.condition(), jsonClaims(all))) return "condition_false";
        return null;
    }

    private static String scalar(Object v) {
        return v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString(d.longValue()) : v.toString();
    }

    /** The claims as CEL sees JSON: Nimbus's Date values (exp, iat, nbf) back to seconds. */
    private static Map<String, Object> jsonClaims(Map<String, Object> claims) {
        Map<String, Object> m = new java.util.HashMap<>(claims.size());
        claims.forEach((k, v) -> m.put(k, v instanceof Date d ? d.getTime() / 1000 : v));
        return m;
    }
}
