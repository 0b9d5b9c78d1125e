// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code servitor sa public-key add|list|remove}: keys from files, a private key never sent, and a grant with the added key. */
class PublicKeyCommandsTest extends CliTest {
    private String account() {
        String name = unique("pk-cli");
        assertThat(sv("sa", "create", name).exit()).isZero();
        return name;
    }

    private Path file(String name, String content) throws Exception {
        Path p = configDir.resolve(UUID.randomUUID() + "-" + name);
        Files.writeString(p, content);
        return p;
    }

    private static String pem(java.security.Key key, String type) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
            + "\n-----END " + type + "-----\n";
    }

    @Test
    void add_from_a_jwk_file_then_the_key_signs_a_grant_and_list_shows_it() throws Exception {
        String sa = account();
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ci-2026").generate();
        Run added = sv("sa", "public-key", "add", sa, "--jwk", file("key.json", key.toPublicJWK().toJSONString()).toString());
        assertThat(added.exit()).as(added.toString()).isZero();
        assertThat(added.rows().get(0)).containsExactly("KID", "KTY", "ALG", "CREATED_AT", "LAST_USED_AT");
        assertThat(added.rows().get(1)).startsWith("ci-2026", "EC", "ES256");

        String id = server.get("/v1/service-accounts/" + sa, admin()).expect(200).json().get("id").asText();
        String endpoint = server.url() + "/oauth/token";
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ci-2026").build(),
            new JWTClaimsSet.Builder().issuer(id).subject(id).audience(endpoint).jwtID(UUID.randomUUID().toString())
                .expirationTime(Date.from(server.clock().instant().plusSeconds(60))).build());
        jwt.sign(new ECDSASigner(key));
        server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoint))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_assertion_type="
                + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
                + "&client_assertion=" + jwt.serialize())).build()).expect(200);

        JsonNode listed = sv("sa", "public-key", "list", sa, "-o", "json").json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("kid").asText()).isEqualTo("ci-2026");
        assertThat(listed.get(0).get("last_used_at").isNull()).isFalse();
    }

    @Test
    void add_from_a_pem_file_and_remove_it() throws Exception {
        String sa = account();
        RSAKey key = new RSAKeyGenerator(2048).generate();
        Run added = sv("sa", "public-key", "add", sa, "--file", file("key.pem", pem(key.toPublicKey(), "PUBLIC KEY")).toString(), "-o", "json");
        assertThat(added.exit()).as(added.toString()).isZero();
        String kid = added.json().get("kid").asText();
        assertThat(kid).isEqualTo(key.computeThumbprint().toString());
        Run removed = sv("sa", "public-key", "remove", sa, kid);
        assertThat(removed.exit()).as(removed.toString()).isZero();
        assertThat(removed.out()).contains("Removed public key " + kid);
        assertThat(sv("sa", "public-key", "list", sa, "-o", "json").json()).isEmpty();
        Run again = sv("sa", "public-key", "remove", sa, kid);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("public_key_not_found");
    }

    @Test
    void a_private_key_file_is_refused_before_anything_is_sent() throws Exception {
        String sa = account();
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        Run pemRun = sv("sa", "public-key", "add", sa, "--file", file("private.pem", pem(key.toPrivateKey(), "PRIVATE KEY")).toString());
        assertThat(pemRun.exit()).isEqualTo(1);
        assertThat(pemRun.err()).contains("holds a private key; nothing was sent");
        Run jwkRun = sv("sa", "public-key", "add", sa, "--jwk", file("private.json", key.toJSONString()).toString());
        assertThat(jwkRun.exit()).isEqualTo(1);
        assertThat(jwkRun.err()).contains("holds a private key; nothing was sent").doesNotContain(key.getD().toString());
        JsonNode audit = server.get("/v1/audit-events?action=public_key.create&target=" + URLEncoder.encode("service_account:" + sa,
            StandardCharsets.UTF_8), admin()).expect(200).json().get("audit_events");
        assertThat(audit).isEmpty();
    }

    @Test
    void a_weak_key_is_answered_with_the_apis_reason_and_exactly_one_source_is_required() throws Exception {
        String sa = account();
        RSAKey weak = new RSAKeyGenerator(1024, true).generate();
        Run r = sv("sa", "public-key", "add", sa, "--jwk", file("weak.json", weak.toPublicJWK().toJSONString()).toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("2048").contains("422 invalid_value");
        assertThat(sv("sa", "public-key", "add", sa).exit()).isEqualTo(2);
    }

    @Test
    void a_kid_that_begins_with_a_dash_is_removed_like_any_other() throws Exception {
        String sa = account();
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("-Jx3kQ").generate(); // a thumbprint does this one time in 64
        assertThat(sv("sa", "public-key", "add", sa, "--jwk", file("key.json", key.toPublicJWK().toJSONString()).toString()).exit()).isZero();
        Run removed = sv("sa", "public-key", "remove", sa, "-Jx3kQ");
        assertThat(removed.exit()).as(removed.toString()).isZero();
        assertThat(removed.out()).contains("Removed public key -Jx3kQ");
        assertThat(sv("sa", "public-key", "list", sa, "-o", "json").json()).isEmpty();
    }
}
