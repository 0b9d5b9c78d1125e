// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Offline token checks: a good token passes; a wrong signer, issuer, audience or an expired token does not. */
class AccessTokenVerifierTest {
    private static final String ISSUER = "https://servitor.example";
    private final ECKey signing = generate("k1");
    private final AccessTokenVerifier verifier =
        new AccessTokenVerifier(new ImmutableJWKSet<>(new JWKSet(signing.toPublicJWK())), ISSUER, "api");

    private static ECKey generate(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(ECKey key, UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        long now = System.currentTimeMillis();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("sa_123").audience("api")
            .expirationTime(new Date(now + 3_600_000)).issueTime(new Date(now)).jwtID(UUID.randomUUID().toString())
            .claim("org", "acme").claim("email", "ci@acme.sa.servitor.local");
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
            change.apply(claims).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    @Test
    void accepts_a_token_signed_by_the_issuer() throws Exception {
        var t = verifier.verify(token(signing, c -> c.claim("act", Map.of("sub", "usr_admin"))));
        assertThat(t.subject()).isEqualTo("sa_123");
        assertThat(t.org()).isEqualTo("acme");
        assertThat(t.actor()).isEqualTo("usr_admin");
        assertThat(t.audience()).containsExactly("api");
    }

    @Test
    void exposes_the_fed_claim_of_a_federated_token_and_null_without_one() throws Exception {
        var t = verifier.verify(token(signing, c -> c.claim("fed",
            Map.of("issuer", "github", "subject", "repo:acme/app:ref:refs/heads/main", "credential", "deploy"))));
        assertThat(t.federation()).isEqualTo(new Identity.Federation("github", "repo:acme/app:ref:refs/heads/main", "deploy"));
        assertThat(verifier.verify(token(signing, c -> c)).federation()).isNull();
        assertThat(verifier.verify(token(signing, c -> c.claim("fed", "not-an-object"))).federation()).isNull();
    }

    @Test
    void refuses_another_signer_issuer_audience_and_an_expired_token() throws Exception {
        assertThatThrownBy(() -> verifier.verify(token(generate("k1"), c -> c))).isInstanceOf(AccessTokenVerifier.InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify(token(signing, c -> c.issuer("https://evil.example"))))
            .isInstanceOf(AccessTokenVerifier.InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify(token(signing, c -> c.audience("other"))))
            .isInstanceOf(AccessTokenVerifier.InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify(token(signing, c -> c.expirationTime(new Date(System.currentTimeMillis() - 600_000)))))
            .isInstanceOf(AccessTokenVerifier.InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify("not.a.jwt")).isInstanceOf(AccessTokenVerifier.InvalidTokenException.class);
    }
}
