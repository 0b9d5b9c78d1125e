// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.servitor.caller.FederatedIdentity;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs and checks access tokens: JWTs signed ES256 with the current {@link SigningKeys} key
 * ({@code kid} in the header). Checking accepts ES256 only (never {@code none}, never a
 * symmetric algorithm) and a known kid; whether a token is for this API is
 * {@link #forThisApi}; expiry and live state are the verifier's business.
 */
public final class AccessTokens {
    private final SigningKeys keys;
    private final Issuer issuer;

    public AccessTokens(SigningKeys keys, Issuer issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    public Issuer issuer() {
        return issuer;
    }

    /** True if the token's audience is Servitor's own API (see {@link Issuer#accepts}). */
    public boolean forThisApi(Claims c) {
        return issuer.accepts(c.audience());
    }

    /**
     * The claims Servitor puts in a token and reads back. {@code secretId}, {@code actorId} and
     * {@code federation} (claim {@code fed}: a token obtained by workload identity federation) may be null.
     */
    public record Claims(String jti, String subject, String issuer, List<String> audience, Instant issuedAt, Instant expiresAt,
                         String org, String email, String scope, String secretId, String actorId, String actorEmail,
                         FederatedIdentity federation) {
        public Claims(String jti, String subject, String issuer, List<String> audience, Instant issuedAt, Instant expiresAt,
                      String org, String email, String scope, String secretId, String actorId, String actorEmail) {
            this(jti, subject, issuer, audience, issuedAt, expiresAt, org, email, scope, secretId, actorId, actorEmail, null);
        }
    }

    public String sign(Claims c) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().jwtID(c.jti()).subject(c.subject()).issuer(c.issuer())
            .audience(c.audience()).issueTime(Date.from(c.issuedAt())).expirationTime(Date.from(c.expiresAt()))
            .claim("org", c.org()).claim("email", c.email()).claim("client_id", c.subject());
        if (c.scope() != null) b.claim("scope", c.scope());
        if (c.secretId() != null) b.claim("sid", c.secretId());
        if (c.actorId() != null) {
            Map<String, Object> act = new LinkedHashMap<>();
            act.put("sub", c.actorId());
            act.put("email", c.actorEmail());
            b.claim("act", act);
        }
        if (c.federation() != null) {
            Map<String, Object> fed = new LinkedHashMap<>();
            fed.put("issuer", c.federation().issuer());
            fed.put("subject", c.federation().subject());
            fed.put("credential", c.federation().credential());
            b.claim("fed", fed);
        }
        SigningKeys.Loaded key = keys.current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.kid()).type(JOSEObjectType.JWT).build(), b.build());
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }

    /** Cheap shape test: three base64url parts starting with a JSON header. */
    public static boolean looksLikeJwt(String s) {
        return s != null && s.startsWith("eyJ") && s.length() < 8192 && s.chars().filter(ch -> ch == '.').count() == 2;
    }

    /** The claims of a token whose ES256 signature checks out under a usable key; empty for anything else. */
    public Optional<Claims> parseVerified(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader h = jwt.getHeader();
            if (!JWSAlgorithm.ES256.equals(h.getAlgorithm()) || h.getKeyID() == null) return Optional.empty();
            Optional<SigningKeys.Loaded> key = keys.find(h.getKeyID());
            if (key.isEmpty() || !jwt.verify(key.get().verifier())) return Optional.empty();
            return Optional.of(claims(jwt.getJWTClaimsSet()));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty(); // malformed, alg none, unknown key or bad signature: one answer
        }
    }

    private static Claims claims(JWTClaimsSet c) throws ParseException {
        Map<String, Object> act = c.getJSONObjectClaim("act");
        Map<String, Object> fed = c.getJSONObjectClaim("fed");
        if (c.getJWTID() == null || c.getSubject() == null || c.getExpirationTime() == null || c.getIssueTime() == null) {
            throw new ParseException("missing claims", 0);
        }
        return new Claims(c.getJWTID(), c.getSubject(), c.getIssuer(), c.getAudience(), c.getIssueTime().toInstant(),
            c.getExpirationTime().toInstant(), c.getStringClaim("org"), c.getStringClaim("email"), c.getStringClaim("scope"),
            c.getStringClaim("sid"), act == null ? null : (String) act.get("sub"), act == null ? null : (String) act.get("email"),
            fed == null ? null : new FederatedIdentity((String) fed.get("issuer"), (String) fed.get("subject"), (String) fed.get("credential")));
    }
}
