// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks Servitor access tokens (signed JWTs) offline, with the public keys of
 * {@code /.well-known/jwks.json} (fetched once and cached; an unknown {@code kid} refetches, so key
 * rotation needs nothing). It checks the signature (ES256 only: the token never picks its own
 * algorithm), {@code iss}, {@code aud} when one is expected (Servitor's default audience is the issuer),
 * {@code exp}/{@code nbf} with a minute of clock skew, and that {@code sub}, {@code iat} and {@code jti} are present.
 *
 * <p>Offline checks cannot see a disabled or deleted account, nor a secret replaced without grace:
 * such tokens stay valid here until they expire. Where that matters, ask {@code /v1/verify}
 * ({@link ServitorClient#verify}), which checks the subject's live state.
 */
public final class AccessTokenVerifier {
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /**
     * A token that passed every check. {@code actor} is the impersonating admin's subject, when there is one;
     * {@code federation} is the {@code fed} claim of a token exchanged for a federated workload's token (the issuer's
     * name, the workload's subject, the federated credential's name), else null.
     */
    public record VerifiedToken(String subject, String email, String org, List<String> audience, Instant expiresAt,
                                String actor, String tokenId, Identity.Federation federation, Map<String, Object> claims) {
        /** A token without federation. */
        public VerifiedToken(String subject, String email, String org, List<String> audience, Instant expiresAt,
                             String actor, String tokenId, Map<String, Object> claims) {
            this(subject, email, org, audience, expiresAt, actor, tokenId, null, claims);
        }
    }

    /** Any reason a token is refused; the message says which, for logs (never show it to the presenter). */
    public static final class InvalidTokenException extends RuntimeException {
        InvalidTokenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param keys     the issuer's public keys
     * @param issuer   the exact {@code iss} expected (Servitor's public URL)
     * @param audience the {@code aud} to require, or null to accept any
     */
    public AccessTokenVerifier(JWKSource<SecurityContext> keys, String issuer, String audience) {
        Objects.requireNonNull(issuer, "issuer");
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder().issuer(issuer);
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience == null ? null : Set.of(audience),
            exact.build(), new HashSet<>(List.of("sub", "exp", "iat", "jti")), null));
    }

    /** A verifier for the Servitor at {@code issuerUrl}, reading its JWKS from {@code <issuerUrl>/.well-known/jwks.json}. */
    public static AccessTokenVerifier forIssuer(String issuerUrl, String audience) {
        String base = issuerUrl.endsWith("/") ? issuerUrl.substring(0, issuerUrl.length() - 1) : issuerUrl;
        try {
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(base + "/.well-known/jwks.json").toURL())
                .retrying(true).build();
            return new AccessTokenVerifier(keys, base, audience);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + issuerUrl, e);
        }
    }

    /**
     * @throws InvalidTokenException when the token is malformed, badly signed, expired, or for another issuer or audience
     */
    public VerifiedToken verify(String token) {
        try {
            JWTClaimsSet c = processor.process(token, null);
            Object act = c.getClaim("act");
            String actor = act instanceof Map<?, ?> m && m.get("sub") != null ? m.get("sub").toString() : null;
            Object fed = c.getClaim("fed");
            Identity.Federation federation = fed instanceof Map<?, ?> f ? Identity.Federation.of(f) : null;
            return new VerifiedToken(c.getSubject(), c.getStringClaim("email"), c.getStringClaim("org"), c.getAudience(),
                c.getExpirationTime().toInstant(), actor, c.getJWTID(), federation, Json.frozen(c.getClaims()));
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            throw new InvalidTokenException("access token refused: " + e.getMessage(), e);
        }
    }
}
