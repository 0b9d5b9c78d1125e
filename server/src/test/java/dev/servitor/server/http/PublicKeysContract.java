// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.testing.TestServer;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.TestDatabases.Engine;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Public-key credentials (docs/api.md "Keyless service accounts"): a service account's public
 * keys over REST, and {@code private_key_jwt} client authentication at {@code /oauth/token}
 * with assertions signed here (Nimbus JOSE) by the private halves. Every refusal is the one
 * 401 {@code invalid_client}; its reason is in the audit event {@code public_key.authenticate}.
 * Each test speaks from addresses of its own, so the failure limits (5 a minute per address)
 * count only its own refusals.
 */
abstract class PublicKeysContract extends ProxiedContract {
    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        return config.withAccess(new ServitorConfig.Access(config.access().instanceSizes(), 5, 3));
    }

    /** An address no other test speaks from. */
    private static String freshAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.19." + (n / 250) + "." + (n % 250 + 1);
    }

    record Account(String name, String id) {}

    private Account account() {
        String name = unique("pk");
        return new Account(name, server.createServiceAccount(name).get("id").asText());
    }

    private static ECKey ecKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsaKey(int bits) {
        try {
            return new RSAKeyGenerator(bits, true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(java.security.Key key, String type) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
            + "\n-----END " + type + "-----\n";
    }

    private Response addJwk(Account a, JWK publicJwk) {
        return server.post("/v1/service-accounts/" + a.name() + "/public-keys", admin(), "{\"jwk\":" + publicJwk.toJSONString() + "}");
    }

    private Response addPem(Account a, String pem) {
        return server.post("/v1/service-accounts/" + a.name() + "/public-keys", admin(),
            "{\"pem\":\"" + pem.replace("\n", "\\n") + "\"}");
    }

    private String tokenEndpoint() {
        return server.get("/.well-known/oauth-authorization-server", null).expect(200).json().get("token_endpoint").asText();
    }

    /** The claims of a good assertion of {@code clientId}, for {@code server}'s token endpoint, valid for a minute from its clock. */
    private JWTClaimsSet.Builder claims(TestServer node, String clientId) {
        Instant now = node.clock().instant();
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(tokenEndpoint())
            .expirationTime(Date.from(now.plusSeconds(60))).issueTime(Date.from(now)).jwtID(UUID.randomUUID().toString());
    }

    private JWTClaimsSet.Builder claims(String clientId) {
        return claims(server, clientId);
    }

    private static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
        try {
            JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWK key, JWTClaimsSet claims) {
        return sign(key, key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256, claims);
    }

    private Response form(TestServer node, String path, String body, String authorization, String from) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url() + path))
            .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", from)
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        return node.send(b.build());
    }

    private Response grant(TestServer node, String assertion, String from) {
        return form(node, "/oauth/token", "grant_type=client_credentials&client_assertion_type=" + enc(JWT_BEARER)
            + "&client_assertion=" + enc(assertion), null, from);
    }

    private Response grant(String assertion) {
        return grant(server, assertion, freshAddress());
    }

    private static void assertInvalidClient(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_client");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    }

    /** The reasons of the refused assertions of {@code a}, from its organization's audit log. */
    private List<String> refusalReasons(Account a) {
        JsonNode events = server.get("/v1/audit-events?action=public_key.authenticate&target=" + enc("service_account:" + a.name()),
            admin()).expect(200).json().get("audit_events");
        List<String> reasons = new ArrayList<>();
        for (JsonNode e : events) {
            assertThat(e.get("outcome").asText()).isEqualTo("denied");
            assertThat(e.get("details").get("client_id").asText()).isEqualTo(a.id());
            reasons.add(e.get("details").get("reason").asText());
        }
        return reasons;
    }

    /** An account with one EC key, and that key's private half. */
    private record Keyed(Account account, ECKey key) {}

    private Keyed keyed() {
        Account a = account();
        ECKey key = ecKey();
        addJwk(a, key.toPublicJWK()).expect(201);
        return new Keyed(a, key);
    }

    /** The assertion is refused with {@code reason} recorded, and the account's right assertion still works afterwards. */
    private void assertRefused(Keyed k, String assertion, String reason) {
        assertInvalidClient(grant(assertion));
        assertThat(refusalReasons(k.account())).containsExactly(reason);
        grant(sign(k.key(), claims(k.account().id()).build())).expect(200);
    }

    @Nested
    class Keys {
        @Test
        void an_ec_jwk_without_kid_is_named_by_its_thumbprint_and_shown_with_public_members_only() throws Exception {
            Account a = account();
            ECKey key = ecKey();
            JsonNode created = addJwk(a, key.toPublicJWK()).expect(201).json();
            String thumbprint = key.computeThumbprint().toString();
            assertThat(created.get("kid").asText()).isEqualTo(thumbprint);
            assertThat(created.get("kty").asText()).isEqualTo("EC");
            assertThat(created.get("alg").asText()).isEqualTo("ES256");
            assertThat(created.get("created_at").isTextual()).isTrue();
            assertThat(created.get("last_used_at").isNull()).isTrue();
            assertThat(created.get("jwk").get("x").asText()).isEqualTo(key.getX().toString());
            assertThat(created.get("jwk").get("kid").asText()).isEqualTo(thumbprint);
            assertThat(created.get("jwk").has("d")).isFalse();

            JsonNode listed = server.get("/v1/service-accounts/" + a.name() + "/public-keys", admin()).expect(200).json();
            assertThat(listed.get("public_keys")).hasSize(1);
            assertThat(server.get("/v1/service-accounts/" + a.name() + "/public-keys/" + thumbprint, admin()).expect(200).json()
                .get("kid").asText()).isEqualTo(thumbprint);
            JsonNode audit = server.get("/v1/audit-events?action=public_key.create&target=" + enc("service_account:" + a.name()), admin())
                .expect(200).json().get("audit_events");
            assertThat(audit).hasSize(1);
            assertThat(audit.get(0).get("details").get("kid").asText()).isEqualTo(thumbprint);
        }

        @Test
        void an_rsa_pem_of_2048_bits_is_taken_and_its_kid_is_its_thumbprint() throws Exception {
            Account a = account();
            RSAKey key = rsaKey(2048);
            JsonNode created = addPem(a, pem(key.toPublicKey(), "PUBLIC KEY")).expect(201).json();
            assertThat(created.get("kty").asText()).isEqualTo("RSA");
            assertThat(created.get("alg").asText()).isEqualTo("RS256");
            assertThat(created.get("kid").asText()).isEqualTo(key.computeThumbprint().toString());
        }

        @Test
        void a_third_key_is_refused_and_so_is_a_kid_the_account_already_has() {
            Account a = account();
            ECKey first = new ECKey.Builder(ecKey()).keyID("first").build();
            addJwk(a, first.toPublicJWK()).expect(201);
            assertProblem(addJwk(a, new ECKey.Builder(ecKey()).keyID("first").build().toPublicJWK()), 409, "public_key_exists");
            addJwk(a, ecKey().toPublicJWK()).expect(201);
            assertProblem(addJwk(a, rsaKey(2048).toPublicJWK()), 409, "public_key_limit_reached");
            assertThat(server.get("/v1/service-accounts/" + a.name() + "/public-keys", admin()).expect(200).json().get("public_keys"))
                .hasSize(2);
        }

        @Test
        void deleting_the_account_deletes_its_keys_and_its_assertions_are_refused() {
            Keyed k = keyed();
            server.delete("/v1/service-accounts/" + k.account().name(), admin()).expect(204);
            assertInvalidClient(grant(sign(k.key(), claims(k.account().id()).build())));
            server.createServiceAccount(k.account().name());
            assertThat(server.get("/v1/service-accounts/" + k.account().name() + "/public-keys", admin()).expect(200).json()
                .get("public_keys")).isEmpty();
        }

        @Test
        void racing_additions_never_exceed_the_limit() throws Exception {
            Account a = account();
            addJwk(a, ecKey().toPublicJWK()).expect(201);
            List<JWK> candidates = new ArrayList<>();
            for (int i = 0; i < 8; i++) candidates.add(ecKey().toPublicJWK());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
                for (JWK k : candidates) answers.add(pool.submit(() -> addJwk(a, k).status()));
                List<Integer> statuses = new ArrayList<>();
                for (var f : answers) statuses.add(f.get());
                assertThat(statuses).containsOnly(201, 409);
                assertThat(statuses.stream().filter(st -> st == 201).count()).isEqualTo(1);
            } finally {
                pool.shutdown();
            }
            assertThat(server.get("/v1/service-accounts/" + a.name() + "/public-keys", admin()).expect(200).json().get("public_keys"))
                .hasSize(2);
        }

        @Test
        void rsa_1024_p384_secp256k1_and_an_rsa_exponent_of_one_are_refused() throws Exception {
            Account a = account();
            assertProblem(addJwk(a, rsaKey(1024).toPublicJWK()), 422, "invalid_value");
            assertProblem(addPem(a, pem(rsaKey(1024).toPublicKey(), "PUBLIC KEY")), 422, "invalid_value");
            assertProblem(addJwk(a, new ECKeyGenerator(Curve.P_384).generate().toPublicJWK()), 422, "invalid_value");
            assertProblem(addPem(a, pem(new ECKeyGenerator(Curve.P_384).generate().toPublicKey(), "PUBLIC KEY")), 422, "invalid_value");
            // secp256k1's generator point: a valid point, on the wrong curve
            ECKey k1 = new ECKey.Builder(Curve.SECP256K1,
                Base64URL.encode(HexFormat.of().parseHex("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798")),
                Base64URL.encode(HexFormat.of().parseHex("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8"))).build();
            RSAKey exponentOne = new RSAKey.Builder(rsaKey(2048).toPublicJWK().getModulus(), Base64URL.encode(new byte[] {1})).build();
            assertProblem(addJwk(a, exponentOne), 422, "invalid_value");
            Response r = addJwk(a, k1);
            assertProblem(r, 422, "invalid_value");
            assertThat(r.json().get("field").asText()).isEqualTo("jwk");
            assertThat(server.get("/v1/service-accounts/" + a.name() + "/public-keys", admin()).expect(200).json().get("public_keys"))
                .isEmpty();
        }

        @Test
        void a_jwk_with_private_members_is_refused_never_stored_nor_echoed() {
            Account a = account();
            ECKey key = ecKey();
            RSAKey rsa = rsaKey(2048);
            for (JWK withPrivate : new JWK[] {key, rsa}) {
                Response r = addJwk(a, withPrivate);
                assertProblem(r, 422, "invalid_value");
                assertThat(r.json().get("field").asText()).isEqualTo("jwk");
                assertThat(r.body()).doesNotContain(withPrivate instanceof ECKey ec ? ec.getD().toString() : rsa.getPrivateExponent().toString());
            }
            assertThat(server.get("/v1/service-accounts/" + a.name() + "/public-keys", admin()).expect(200).json().get("public_keys"))
                .isEmpty();
        }

        @Test
        void a_pem_private_key_is_refused() throws Exception {
            Account a = account();
            Response r = addPem(a, pem(ecKey().toPrivateKey(), "PRIVATE KEY"));
            assertProblem(r, 422, "invalid_value");
            assertThat(r.json().get("field").asText()).isEqualTo("pem");
            assertProblem(addPem(a, pem(rsaKey(2048).toPrivateKey(), "RSA PRIVATE KEY")), 422, "invalid_value");
        }

        @Test
        void a_kid_that_could_not_name_the_key_in_a_path_is_refused() {
            Account a = account();
            for (String kid : new String[] {"../x", "a/b", "with space", "x".repeat(129)}) {
                Response r = addJwk(a, new ECKey.Builder(ecKey()).keyID(kid).build().toPublicJWK());
                assertProblem(r, 422, "invalid_value");
                assertThat(r.json().get("field").asText()).isEqualTo("jwk");
            }
        }

        @Test
        void exactly_one_of_jwk_and_pem_is_required() throws Exception {
            Account a = account();
            ECKey key = ecKey();
            assertProblem(server.post("/v1/service-accounts/" + a.name() + "/public-keys", admin(), "{}"), 422, "missing_field");
            assertProblem(server.post("/v1/service-accounts/" + a.name() + "/public-keys", admin(), "{\"jwk\":"
                + key.toPublicJWK().toJSONString() + ",\"pem\":\"" + pem(key.toPublicKey(), "PUBLIC KEY").replace("\n", "\\n") + "\"}"),
                422, "invalid_value");
            assertProblem(server.post("/v1/service-accounts/" + a.name() + "/public-keys", admin(), "{\"jwk\":\"text\"}"), 400, "invalid_type");
            assertProblem(server.post("/v1/service-accounts/nobody-" + a.name() + "/public-keys", admin(),
                "{\"jwk\":" + key.toPublicJWK().toJSONString() + "}"), 404, "service_account_not_found");
            assertProblem(server.delete("/v1/service-accounts/" + a.name() + "/public-keys/none", admin()), 404, "public_key_not_found");
        }
    }

    @Nested
    class Grants {
        @Test
        void an_ec_key_signs_an_assertion_that_grants_a_token_and_records_its_use() {
            Keyed k = keyed();
            String from = freshAddress();
            JsonNode t = grant(server, sign(k.key(), claims(k.account().id()).build()), from).expect(200).json();
            JsonNode me = server.get("/v1/whoami", t.get("access_token").asText()).expect(200).json();
            assertThat(me.get("principal").get("id").asText()).isEqualTo(k.account().id());
            JsonNode listed = server.get("/v1/service-accounts/" + k.account().name() + "/public-keys", admin()).expect(200).json();
            assertThat(listed.get("public_keys").get(0).get("last_used_at").isTextual()).isTrue();
            server.servitor().auditLog().flushQueued(); // grants are audited off the request path
            JsonNode issued = server.get("/v1/audit-events?action=token.issue&target=" + enc("service_account:" + k.account().name()),
                admin()).expect(200).json().get("audit_events");
            assertThat(issued.get(0).get("details").get("client_auth").asText()).isEqualTo("private_key_jwt");
        }

        @Test
        void an_rsa_key_signs_with_rs256_and_ps256_and_the_client_id_may_come_along() {
            Account a = account();
            RSAKey key = rsaKey(2048);
            addJwk(a, key.toPublicJWK()).expect(201);
            grant(sign(key, JWSAlgorithm.RS256, claims(a.id()).build())).expect(200);
            grant(sign(key, JWSAlgorithm.PS256, claims(a.id()).build())).expect(200);
            form(server, "/oauth/token", "grant_type=client_credentials&client_id=" + enc(a.id()) + "&client_assertion_type="
                + enc(JWT_BEARER) + "&client_assertion=" + enc(sign(key, claims(a.id()).build())) + "&scope=", null, freshAddress())
                .expect(200);
        }

        @Test
        void a_key_declared_for_ps256_takes_ps256_only_and_a_key_for_encryption_or_another_alg_is_refused() {
            Account a = account();
            RSAKey key = new RSAKey.Builder(rsaKey(2048)).algorithm(JWSAlgorithm.PS256).build();
            JsonNode created = addJwk(a, key.toPublicJWK()).expect(201).json();
            assertThat(created.get("alg").asText()).isEqualTo("PS256");
            grant(sign(key, JWSAlgorithm.PS256, claims(a.id()).build())).expect(200);
            assertInvalidClient(grant(sign(key, JWSAlgorithm.RS256, claims(a.id()).build())));
            assertThat(refusalReasons(a)).containsExactly("alg_key_mismatch");
            Account b = account();
            assertProblem(addJwk(b, new ECKey.Builder(ecKey()).keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).build().toPublicJWK()),
                422, "invalid_value");
            assertProblem(addJwk(b, new ECKey.Builder(ecKey()).algorithm(JWSAlgorithm.ES384).build().toPublicJWK()), 422, "invalid_value");
            assertProblem(addJwk(b, new RSAKey.Builder(rsaKey(2048)).algorithm(JWSAlgorithm.HS256).build().toPublicJWK()), 422,
                "invalid_value");
        }

        @Test
        void the_issuer_url_is_an_audience_too() {
            Keyed k = keyed();
            String issuer = tokenEndpoint().replace("/oauth/token", "");
            grant(sign(k.key(), claims(k.account().id()).audience(List.of("https://elsewhere.example", issuer)).build())).expect(200);
        }

        @Test
        void rotation_two_keys_work_side_by_side_and_a_removed_key_is_refused() throws Exception {
            Keyed k = keyed();
            ECKey next = new ECKey.Builder(ecKey()).keyID("next").build();
            addJwk(k.account(), next.toPublicJWK()).expect(201);
            grant(sign(k.key(), claims(k.account().id()).build())).expect(200);
            grant(sign(next, claims(k.account().id()).build())).expect(200);
            String oldKid = k.key().computeThumbprint().toString();
            server.delete("/v1/service-accounts/" + k.account().name() + "/public-keys/" + oldKid, admin()).expect(204);
            assertInvalidClient(grant(sign(k.key(), claims(k.account().id()).build())));
            assertThat(refusalReasons(k.account())).containsExactly("bad_signature");
            grant(sign(next, claims(k.account().id()).build())).expect(200);
            JsonNode deleted = server.get("/v1/audit-events?action=public_key.delete&target=" + enc("service_account:" + k.account().name()),
                admin()).expect(200).json().get("audit_events");
            assertThat(deleted.get(0).get("details").get("kid").asText()).isEqualTo(oldKid);
        }

        @Test
        void introspection_takes_private_key_jwt_client_authentication() {
            Keyed k = keyed();
            String token = grant(sign(k.key(), claims(k.account().id()).build())).expect(200).json().get("access_token").asText();
            JsonNode answer = form(server, "/oauth/introspect", "token=" + enc(token) + "&client_assertion_type=" + enc(JWT_BEARER)
                + "&client_assertion=" + enc(sign(k.key(), claims(k.account().id()).build())), null, freshAddress()).expect(200).json();
            assertThat(answer.get("active").asBoolean()).isTrue();
            assertThat(answer.get("sub").asText()).isEqualTo(k.account().id());
        }

        @Test
        void revocation_takes_private_key_jwt_client_authentication() {
            Keyed k = keyed();
            String token = grant(sign(k.key(), claims(k.account().id()).build())).expect(200).json().get("access_token").asText();
            form(server, "/oauth/revoke", "token=" + enc(token) + "&client_assertion_type=" + enc(JWT_BEARER)
                + "&client_assertion=" + enc(sign(k.key(), claims(k.account().id()).build())), null, freshAddress()).expect(200);
            assertThat(server.get("/v1/whoami", token).status()).isEqualTo(401);
            // a refused assertion at revocation is the same invalid_client, and revokes nothing
            String other = grant(sign(k.key(), claims(k.account().id()).build())).expect(200).json().get("access_token").asText();
            assertInvalidClient(form(server, "/oauth/revoke", "token=" + enc(other) + "&client_assertion_type=" + enc(JWT_BEARER)
                + "&client_assertion=" + enc(sign(ecKey(), claims(k.account().id()).build())), null, freshAddress()));
            server.get("/v1/whoami", other).expect(200);
        }

        @Test
        void the_metadata_lists_private_key_jwt_and_the_algorithms_taken() {
            JsonNode m = server.get("/.well-known/oauth-authorization-server", null).expect(200).json();
            assertThat(m.get("token_endpoint_auth_methods_supported").toString()).contains("\"private_key_jwt\"");
            List<String> algs = new ArrayList<>();
            m.get("token_endpoint_auth_signing_alg_values_supported").forEach(a -> algs.add(a.asText()));
            assertThat(algs).containsExactlyInAnyOrder("ES256", "RS256", "PS256");
        }

        @Test
        void an_assertion_beside_a_secret_or_basic_is_an_invalid_request() {
            Keyed k = keyed();
            String secret = server.post("/v1/service-accounts/" + k.account().name() + "/secret", admin(), null).expect(201).json()
                .get("client_secret").asText();
            String assertion = "&client_assertion_type=" + enc(JWT_BEARER) + "&client_assertion="
                + enc(sign(k.key(), claims(k.account().id()).build()));
            Response post = form(server, "/oauth/token", "grant_type=client_credentials&client_id=" + enc(k.account().id())
                + "&client_secret=" + enc(secret) + assertion, null, freshAddress());
            assertThat(post.status()).isEqualTo(400);
            assertThat(post.json().get("error").asText()).isEqualTo("invalid_request");
            String basic = "Basic " + Base64.getEncoder().encodeToString((enc(k.account().id()) + ":" + enc(secret)).getBytes());
            Response withBasic = form(server, "/oauth/token", "grant_type=client_credentials" + assertion, basic, freshAddress());
            assertThat(withBasic.status()).isEqualTo(400);
            assertThat(withBasic.json().get("error").asText()).isEqualTo("invalid_request");
        }

        @Test
        void failed_assertions_count_toward_the_address_limit_like_wrong_secrets() {
            Keyed k = keyed();
            String from = freshAddress();
            String wrong = sign(ecKey(), claims(k.account().id()).build());
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) statuses.add(grant(server, wrong, from).status());
            assertThat(statuses.subList(0, 4)).containsOnly(401);
            assertThat(statuses.get(5)).isEqualTo(429);
            grant(sign(k.key(), claims(k.account().id()).build())).expect(200); // another address is not held back
        }
    }

    @Nested
    class Refusals {
        @Test
        void an_assertion_signed_by_another_key() {
            Keyed k = keyed();
            assertRefused(k, sign(ecKey(), claims(k.account().id()).build()), "bad_signature");
        }

        @Test
        void alg_none() {
            Keyed k = keyed();
            assertRefused(k, new PlainJWT(claims(k.account().id()).build()).serialize(), "alg_not_allowed");
        }

        @Test
        void hs256_keyed_with_the_public_key() throws Exception {
            Keyed k = keyed();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(k.account().id()).build());
            jwt.sign(new MACSigner(k.key().toPublicJWK().toJSONString().getBytes()));
            assertRefused(k, jwt.serialize(), "alg_not_allowed");
        }

        @Test
        void iss_other_than_sub() {
            Keyed k = keyed();
            assertRefused(k, sign(k.key(), claims(k.account().id()).subject("someone-else").build()), "iss_sub_mismatch");
        }

        @Test
        void a_client_id_other_than_iss() {
            Keyed k = keyed();
            Account other = account();
            Response r = form(server, "/oauth/token", "grant_type=client_credentials&client_id=" + enc(other.id())
                + "&client_assertion_type=" + enc(JWT_BEARER) + "&client_assertion=" + enc(sign(k.key(), claims(k.account().id()).build())),
                null, freshAddress());
            assertInvalidClient(r);
            assertThat(refusalReasons(k.account())).containsExactly("client_id_mismatch");
        }

        @Test
        void a_wrong_audience() {
            Keyed k = keyed();
            assertRefused(k, sign(k.key(), claims(k.account().id()).audience("https://other.example/oauth/token").build()), "wrong_audience");
        }

        @Test
        void exp_too_far_ahead() {
            Keyed k = keyed();
            Instant now = server.clock().instant();
            assertRefused(k, sign(k.key(), claims(k.account().id()).expirationTime(Date.from(now.plusSeconds(361))).build()), "exp_too_far");
        }

        @Test
        void exp_missing() {
            Keyed k = keyed();
            assertRefused(k, sign(k.key(), claims(k.account().id()).expirationTime(null).build()), "exp_missing");
        }

        @Test
        void exp_past() {
            Keyed k = keyed();
            Instant now = server.clock().instant();
            assertRefused(k, sign(k.key(), claims(k.account().id()).expirationTime(Date.from(now.minusSeconds(61))).build()), "expired");
        }

        @Test
        void jti_missing() {
            Keyed k = keyed();
            assertRefused(k, sign(k.key(), claims(k.account().id()).jwtID(null).build()), "jti_missing");
        }

        /** Attack review: one assertion spent at introspection or revocation is spent for every endpoint (held). */
        @Test
        void an_assertion_used_at_introspection_or_revocation_is_not_taken_again_anywhere() {
            Keyed k = keyed();
            String token = grant(sign(k.key(), claims(k.account().id()).build())).expect(200).json().get("access_token").asText();
            String once = sign(k.key(), claims(k.account().id()).build());
            form(server, "/oauth/introspect", "token=" + enc(token) + "&client_assertion_type=" + enc(JWT_BEARER)
                + "&client_assertion=" + enc(once), null, freshAddress()).expect(200);
            assertRefused(k, once, "jti_replayed");
            assertInvalidClient(form(server, "/oauth/revoke", "token=" + enc(token) + "&client_assertion_type=" + enc(JWT_BEARER)
                + "&client_assertion=" + enc(once), null, freshAddress()));
            server.get("/v1/whoami", token).expect(200);
            String twice = sign(k.key(), claims(k.account().id()).build());
            form(server, "/oauth/revoke", "token=" + enc(token) + "&client_assertion_type=" + enc(JWT_BEARER)
                + "&client_assertion=" + enc(twice), null, freshAddress()).expect(200);
            assertInvalidClient(form(server, "/oauth/introspect", "token=" + enc(token) + "&client_assertion_type=" + enc(JWT_BEARER)
                + "&client_assertion=" + enc(twice), null, freshAddress()));
        }

        @Test
        void a_replayed_jti_on_the_same_node() {
            Keyed k = keyed();
            String assertion = sign(k.key(), claims(k.account().id()).build());
            grant(assertion).expect(200);
            assertRefused(k, assertion, "jti_replayed");
        }

        @Test
        void a_replay_within_the_clock_skew_after_the_expired_ids_were_pruned() {
            Keyed k = keyed();
            Instant now = server.clock().instant();
            String assertion = sign(k.key(), claims(k.account().id()).expirationTime(Date.from(now.minusSeconds(30))).build());
            grant(assertion).expect(200); // past its exp, within the 60 s of skew
            server.servitor().tokens().pruneRevoked();
            assertRefused(k, assertion, "jti_replayed");
        }

        @Test
        void a_replayed_jti_on_a_second_node_of_the_cluster() {
            assumeTrue(engine() == Engine.POSTGRES, "two nodes share one PostgreSQL database");
            Keyed k = keyed();
            try (TestServer second = server.anotherNode()) {
                String secondEndpoint = second.url() + "/oauth/token";
                String assertion = sign(k.key(), claims(k.account().id()).audience(List.of(tokenEndpoint(), secondEndpoint)).build());
                grant(server, assertion, freshAddress()).expect(200);
                assertInvalidClient(grant(second, assertion, freshAddress()));
                assertThat(refusalReasons(k.account())).containsExactly("jti_replayed");
                // and the other way round: the second node's accepted assertion is refused by the first
                String another = sign(k.key(), claims(k.account().id()).audience(List.of(tokenEndpoint(), secondEndpoint)).build());
                grant(second, another, freshAddress()).expect(200);
                assertInvalidClient(grant(server, another, freshAddress()));
            }
        }

        @Test
        void a_disabled_account() {
            Keyed k = keyed();
            server.post("/v1/service-accounts/" + k.account().name() + "/disable", admin(), null).expect(200);
            assertInvalidClient(grant(sign(k.key(), claims(k.account().id()).build())));
            assertThat(refusalReasons(k.account())).containsExactly("account_disabled");
        }

        @Test
        void an_unknown_kid() {
            Keyed k = keyed();
            ECKey named = new ECKey.Builder(k.key()).keyID("not-registered").build();
            assertRefused(k, sign(named, claims(k.account().id()).build()), "unknown_kid");
        }

        @Test
        void an_rs256_assertion_for_an_account_whose_key_is_ec() {
            Keyed k = keyed();
            ECKey key = k.key();
            String mismatched = sign(rsaKey(2048), JWSAlgorithm.RS256, claims(k.account().id()).build());
            assertInvalidClient(grant(mismatched));
            assertThat(refusalReasons(k.account())).containsExactly("alg_key_mismatch");
            grant(sign(key, claims(k.account().id()).build())).expect(200);
        }

        @Test
        void an_assertion_for_an_unknown_client_is_the_same_401() {
            ECKey key = ecKey();
            assertInvalidClient(grant(sign(key, claims("sa_" + "0".repeat(26)).build())));
            assertInvalidClient(grant("not.a.jwt"));
        }

        @Test
        void the_clock_moving_past_the_expiry_refuses_an_unused_assertion() {
            Keyed k = keyed();
            String assertion = sign(k.key(), claims(k.account().id()).build());
            server.clock().advance(Duration.ofSeconds(121));
            assertRefused(k, assertion, "expired");
        }
    }
}
