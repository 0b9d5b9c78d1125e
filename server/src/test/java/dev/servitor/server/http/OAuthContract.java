// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Client secrets, /oauth/*, JWKS and impersonation, against a real server. */
abstract class OAuthContract extends ApiContract {
    /** An API served with Servitor's, whose tokens Servitor's own API takes too (SERVITOR_ACCEPTED_AUDIENCES). */
    private static final String PLATFORM_API = "https://api.example.com";
    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    record Client(String name, String id, String secret) {}

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        // every test speaks from the loopback address: its refusals must not add up to the failed-authentication limits
        return config.withTokens(config.tokens().withAcceptedAudiences(List.of(PLATFORM_API)))
            .withAccess(new ServitorConfig.Access(config.access().instanceSizes(), 10_000, 10_000));
    }

    private Client client() {
        String name = unique("oauth");
        server.createServiceAccount(name);
        JsonNode s = server.post("/v1/service-accounts/" + name + "/secret", admin(), null).expect(201).json();
        assertThat(s.get("client_secret").asText()).matches("svs_[0-9A-Za-z]{49}");
        return new Client(name, s.get("client_id").asText(), s.get("client_secret").asText());
    }

    private Response form(String path, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        return server.send(b.build());
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Response grantBasic(Client c) {
        return form("/oauth/token", "grant_type=client_credentials", basic(c.id(), c.secret()));
    }

    private String token(Client c) {
        return grantBasic(c).expect(200).json().get("access_token").asText();
    }

    private JsonNode introspect(String token) {
        return form("/oauth/introspect", "token=" + enc(token), "Bearer " + admin()).expect(200).json();
    }

    @Nested
    class Grants {
        @Test
        void client_secret_basic_and_client_secret_post_both_issue_a_bearer_token() {
            Client c = client();
            Response basic = grantBasic(c).expect(200);
            assertThat(basic.header("Cache-Control")).isEqualTo("no-store");
            JsonNode t = basic.json();
            assertThat(t.get("token_type").asText()).isEqualTo("Bearer");
            assertThat(t.get("expires_in").asLong()).isEqualTo(86_400);
            JsonNode post = form("/oauth/token", "grant_type=client_credentials&client_id=" + enc(c.id())
                + "&client_secret=" + enc(c.secret()) + "&audience=https%3A%2F%2Fapi.example.com", null).expect(200).json();
            JsonNode me = server.get("/v1/whoami", post.get("access_token").asText()).expect(200).json();
            assertThat(me.get("principal").get("id").asText()).isEqualTo(c.id());
            assertThat(me.get("credential").get("kind").asText()).isEqualTo("access_token");
            assertThat(verify(t.get("access_token").asText()).get("code").asText()).isEqualTo("VALID");
        }

        @Test
        void every_fault_of_client_authentication_gets_one_uniform_invalid_client() {
            Client c = client();
            Client other = client();
            String[][] attempts = {
                {"grant_type=client_credentials", basic(c.id(), c.secret() + "x")},
                {"grant_type=client_credentials", basic(c.id(), other.secret())},
                {"grant_type=client_credentials", basic("sa_unknown", c.secret())},
                {"grant_type=client_credentials", basic(c.id(), "svs_short")},
                {"grant_type=client_credentials", "Basic !!!not-base64"},
                {"grant_type=client_credentials&client_id=" + enc(c.id()) + "&client_secret=wrong", null},
            };
            String firstBody = null;
            for (String[] a : attempts) {
                Response r = form("/oauth/token", a[0], a[1]);
                assertThat(r.status()).as(a[0] + " " + a[1]).isEqualTo(401);
                assertThat(r.header("WWW-Authenticate")).startsWith("Basic");
                assertThat(r.json().get("error").asText()).isEqualTo("invalid_client");
                if (firstBody == null) firstBody = r.body();
                assertThat(r.body()).isEqualTo(firstBody);
            }
            server.post("/v1/service-accounts/" + c.name() + "/disable", admin(), null).expect(200);
            Response disabled = grantBasic(c);
            assertThat(disabled.status()).isEqualTo(401);
            assertThat(disabled.body()).isEqualTo(firstBody);
        }

        @Test
        void malformed_requests_get_rfc_6749_errors() {
            Client c = client();
            assertThat(form("/oauth/token", "grant_type=password&username=a&password=b", basic(c.id(), c.secret())).json()
                .get("error").asText()).isEqualTo("unsupported_grant_type");
            assertThat(form("/oauth/token", "", basic(c.id(), c.secret())).json().get("error").asText()).isEqualTo("invalid_request");
            Response scope = form("/oauth/token", "grant_type=client_credentials&scope=org_admin", basic(c.id(), c.secret()));
            assertThat(scope.status()).isEqualTo(400);
            assertThat(scope.json().get("error").asText()).isEqualTo("invalid_scope");
        }
    }

    @Nested
    class Jwt {
        @Test
        void a_third_party_verifies_the_token_against_the_published_jwks() throws Exception {
            Client c = client();
            String token = token(c);
            JsonNode meta = server.get("/.well-known/oauth-authorization-server", null).expect(200).json();
            assertThat(meta.get("issuer").asText()).isEqualTo(server.url());
            assertThat(meta.get("token_endpoint").asText()).isEqualTo(server.url() + "/oauth/token");
            assertThat(meta.get("grant_types_supported")).extracting(JsonNode::asText)
                .contains("client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange");
            JWKSource<SecurityContext> jwks = JWKSourceBuilder.create(URI.create(meta.get("jwks_uri").asText()).toURL()).build();
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, jwks));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(server.url(),
                new JWTClaimsSet.Builder().issuer(server.url()).subject(c.id()).build(), Set.of("exp", "iat", "jti", "org", "email")));
            JWTClaimsSet claims = processor.process(token, null);
            assertThat(claims.getStringClaim("email")).isEqualTo(c.name() + "@default.sa.servitor.local");
            assertThat(claims.getStringClaim("org")).isEqualTo("default");
            assertThat(SignedJWT.parse(token).getHeader().getKeyID()).isNotBlank();
        }

        @Test
        void a_token_signed_by_another_key_or_with_alg_none_is_refused() throws Exception {
            Client c = client();
            SignedJWT genuine = SignedJWT.parse(token(c));
            ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(genuine.getHeader().getKeyID()).generate();
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(attacker.getKeyID())
                .type(JOSEObjectType.JWT).build(), genuine.getJWTClaimsSet());
            forged.sign(new ECDSASigner(attacker));
            String none = new PlainJWT(genuine.getJWTClaimsSet()).serialize();
            String tampered = genuine.serialize().substring(0, genuine.serialize().lastIndexOf('.') - 2) + "xx"
                + genuine.serialize().substring(genuine.serialize().lastIndexOf('.'));
            for (String bad : new String[] {forged.serialize(), none, tampered}) {
                Response r = server.get("/v1/whoami", bad);
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.json().get("detail").asText()).isEqualTo("A valid credential is required");
                assertThat(verify(bad).get("code").asText()).isEqualTo("NOT_FOUND");
            }
        }

        @Test
        void a_token_expires_with_its_lifetime() {
            Client c = client();
            String token = token(c);
            server.clock().advance(Duration.ofSeconds(86_401));
            assertThat(verify(token).get("code").asText()).isEqualTo("EXPIRED");
            assertThat(server.get("/v1/whoami", token).status()).isEqualTo(401);
        }
    }

    @Nested
    class IntrospectionRequests {

        @Test
        void introspection_and_revocation_accept_client_secret_post_and_refuse_faulty_requests() {
            Client c = client();
            String token = token(c);
            String post = "&client_id=" + enc(c.id()) + "&client_secret=" + enc(c.secret());
            assertThat(form("/oauth/introspect", "token=" + enc(token) + post, null).expect(200).json()
                .get("active").asBoolean()).isTrue();

            String[][] badRequests = { // body, authorization
                {"token_type_hint=access_token", basic(c.id(), c.secret())},               // no token
                {"token=", basic(c.id(), c.secret())},                                      // blank token
                {"token=" + enc(token) + "&token=" + enc(token), basic(c.id(), c.secret())}, // repeated
                {"token=" + enc(token) + post, basic(c.id(), c.secret())},                  // two client authentications
                {"token=%zz", basic(c.id(), c.secret())},                                   // not form encoding
            };
            for (String path : new String[] {"/oauth/introspect", "/oauth/revoke"}) {
                for (String[] a : badRequests) {
                    Response r = form(path, a[0], a[1]);
                    assertThat(r.status()).as(path + " " + a[0]).isEqualTo(400);
                    assertThat(r.json().get("error").asText()).as(a[0]).isEqualTo("invalid_request");
                    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
                }
                Response json = server.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                    .header("Content-Type", "application/json").header("Authorization", basic(c.id(), c.secret()))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\": \"" + token + "\"}")).build());
                assertThat(json.status()).isEqualTo(400);
                assertThat(json.json().get("error_description").asText()).contains("application/x-www-form-urlencoded");
                for (String auth : new String[] {null, "Basic !!!", basic(c.id(), c.secret() + "x"), basic(c.id(), "")}) {
                    Response r = form(path, "token=" + enc(token), auth);
                    assertThat(r.status()).as(path + " " + auth).isEqualTo(401);
                    assertThat(r.json().get("error").asText()).isEqualTo("invalid_client");
                }
            }
            // none of the refused revocations took effect
            assertThat(introspect(token).get("active").asBoolean()).isTrue();
            form("/oauth/revoke", "token=" + enc(token) + post, null).expect(200);
            assertThat(introspect(token).get("active").asBoolean()).isFalse();
        }
    }

    @Nested
    class LiveState {
        @Test
        void introspection_is_active_until_revocation() {
            Client c = client();
            String token = token(c);
            JsonNode active = introspect(token);
            assertThat(active.get("active").asBoolean()).isTrue();
            assertThat(active.get("sub").asText()).isEqualTo(c.id());
            assertThat(active.get("client_id").asText()).isEqualTo(c.id());
            assertThat(active.get("exp").asLong()).isPositive();
            form("/oauth/revoke", "token=" + enc(token), basic(c.id(), c.secret())).expect(200);
            assertThat(introspect(token).get("active").asBoolean()).isFalse();
            assertThat(server.get("/v1/whoami", token).status()).isEqualTo(401);
            assertThat(verify(token).get("code").asText()).isEqualTo("REVOKED");
            // the client may introspect its own token too; a stranger's is never revealed
            String mine = token(c);
            JsonNode own = form("/oauth/introspect", "token=" + enc(mine), basic(c.id(), c.secret())).expect(200).json();
            assertThat(own.get("active").asBoolean()).isTrue();
            Client stranger = client();
            assertThat(form("/oauth/introspect", "token=" + enc(mine), basic(stranger.id(), stranger.secret())).json()
                .get("active").asBoolean()).isFalse();
        }

        @Test
        void a_replaced_secret_stops_at_once_or_after_its_grace_and_takes_its_tokens_with_it() {
            Client c = client();
            String token = token(c);
            String second = server.post("/v1/service-accounts/" + c.name() + "/secret", admin(), "{\"grace_seconds\":60}")
                .expect(201).json().get("client_secret").asText();
            assertThat(grantBasic(c).status()).as("old secret works during the grace").isEqualTo(200);
            assertThat(server.get("/v1/whoami", token).status()).isEqualTo(200);
            server.clock().advance(Duration.ofSeconds(61));
            assertThat(grantBasic(c).status()).isEqualTo(401);
            assertThat(verify(token).get("code").asText()).isEqualTo("REVOKED");
            Client now = new Client(c.name(), c.id(), second);
            String fresh = token(now);
            server.post("/v1/service-accounts/" + c.name() + "/secret", admin(), null).expect(201);
            assertThat(grantBasic(now).status()).as("no grace: the previous secret stops at once").isEqualTo(401);
            assertThat(server.get("/v1/whoami", fresh).status()).isEqualTo(401);
        }

        @Test
        void disabling_or_deleting_the_account_ends_its_tokens_at_once() {
            Client c = client();
            String token = token(c);
            server.post("/v1/service-accounts/" + c.name() + "/disable", admin(), null).expect(200);
            assertThat(verify(token).get("code").asText()).isEqualTo("DISABLED");
            assertThat(introspect(token).get("active").asBoolean()).isFalse();
            server.post("/v1/service-accounts/" + c.name() + "/enable", admin(), null).expect(200);
            assertThat(verify(token).get("code").asText()).isEqualTo("VALID");
            server.delete("/v1/service-accounts/" + c.name(), admin()).expect(204);
            assertThat(verify(token).get("code").asText()).isEqualTo("REVOKED");
            assertThat(server.get("/v1/whoami", token).status()).isEqualTo(401);
        }
    }

    @Nested
    class Impersonation {
        @Test
        void an_admin_acts_as_the_account_for_two_hours_and_both_are_audited() {
            Client c = client();
            JsonNode t = server.post("/v1/service-accounts/" + c.name() + "/impersonate", admin(), null).expect(200).json();
            assertThat(t.get("expires_in").asLong()).isEqualTo(7_200);
            String token = t.get("access_token").asText();
            JsonNode me = server.get("/v1/whoami", token).expect(200).json();
            assertThat(me.get("principal").get("id").asText()).isEqualTo(c.id());
            assertThat(me.get("actor").get("name").asText()).isEqualTo("admin");
            JsonNode v = verify(token);
            assertThat(v.get("actor").get("email").asText()).isEqualTo("admin@localhost");
            assertThat(introspect(token).get("act").get("email").asText()).isEqualTo("admin@localhost");
            // acting as a plain account, the admin cannot manage service accounts, and the refusal names both
            assertThat(server.get("/v1/service-accounts", token).status()).isEqualTo(403);
            JsonNode denied = server.get("/v1/audit-events?actor=admin%40localhost&action=service_account.list", admin())
                .expect(200).json().get("audit_events").get(0);
            assertThat(denied.get("on_behalf_of").asText()).isEqualTo(c.name() + "@default.sa.servitor.local");
            server.clock().advance(Duration.ofSeconds(7_201));
            assertThat(verify(token).get("code").asText()).isEqualTo("EXPIRED");
        }

        @Test
        void token_exchange_impersonates_and_disabling_ends_it() {
            Client c = client();
            JsonNode t = form("/oauth/token", "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token=" + enc(c.id()) + "&subject_token_type=" + enc(OAuthRoutes.SERVICE_ACCOUNT_TOKEN_TYPE)
                + "&actor_token=" + enc(admin()) + "&actor_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token"), null)
                .expect(200).json();
            String token = t.get("access_token").asText();
            assertThat(t.get("expires_in").asLong()).isEqualTo(7_200);
            assertThat(server.get("/v1/whoami", token).expect(200).json().get("actor").get("name").asText()).isEqualTo("admin");
            server.post("/v1/service-accounts/" + c.name() + "/disable", admin(), null).expect(200);
            assertThat(server.get("/v1/whoami", token).status()).isEqualTo(401);
        }

        @Test
        void only_org_admins_may_impersonate() {
            Client c = client();
            String plain = server.createKey(c.name(), "k");
            assertThat(server.post("/v1/service-accounts/" + c.name() + "/impersonate", plain, null).status()).isEqualTo(403);
            Response x = form("/oauth/token", "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token=" + enc(c.id()) + "&subject_token_type=" + enc(OAuthRoutes.SERVICE_ACCOUNT_TOKEN_TYPE)
                + "&actor_token=" + enc(plain) + "&actor_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token"), null);
            assertThat(x.status()).isEqualTo(403);
            assertThat(x.json().get("error").asText()).isEqualTo("access_denied");
        }
    }

    /** RFC 6749 section 2.3, 3.3; RFC 8693; RFC 8707: what a token request may carry. */
    @Nested
    class TokenRequests {
        @Test
        void a_request_authenticates_the_client_one_way_only() {
            Client c = client();
            Client other = client();
            String[][] twoWays = { // body, authorization
                {"grant_type=client_credentials&client_secret=" + enc(c.secret()), basic(c.id(), c.secret())},
                {"grant_type=client_credentials&client_id=" + enc(other.id()), basic(c.id(), c.secret())},
                {"grant_type=client_credentials&client_id=" + enc(c.id()) + "&client_secret=" + enc(other.secret()), basic(c.id(), c.secret())},
            };
            for (String[] a : twoWays) {
                Response r = form("/oauth/token", a[0], a[1]);
                assertThat(r.status()).as(a[0]).isEqualTo(400);
                assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
                assertThat(r.body()).doesNotContain("access_token");
            }
            // the client's own id beside Basic is one way, not two
            form("/oauth/token", "grant_type=client_credentials&client_id=" + enc(c.id()), basic(c.id(), c.secret())).expect(200);
            Response repeated = form("/oauth/token", "grant_type=client_credentials&grant_type=client_credentials", basic(c.id(), c.secret()));
            assertThat(repeated.status()).isEqualTo(400);
            assertThat(repeated.json().get("error").asText()).isEqualTo("invalid_request");
        }

        @Test
        void a_scope_of_anything_but_scope_tokens_is_invalid_scope() {
            Client c = client();
            for (String scope : new String[] {"%00", "%20", "+", "verify%00", "%0Averify", "%C3%A9", "a%22b", "a%5Cb"}) {
                Response r = form("/oauth/token", "grant_type=client_credentials&scope=" + scope, basic(c.id(), c.secret()));
                assertThat(r.status()).as(scope).isEqualTo(400);
                // a NUL anywhere in the form is a malformed request before the scope is read
                assertThat(r.json().get("error").asText()).as(scope).isEqualTo(scope.contains("%00") ? "invalid_request" : "invalid_scope");
                Response x = form("/oauth/token", exchange(c, admin()) + "&scope=" + scope, null);
                assertThat(x.status()).as("exchange " + scope).isEqualTo(400);
                assertThat(x.json().get("error").asText()).isEqualTo(scope.contains("%00") ? "invalid_request" : "invalid_scope");
            }
            // no scope, or an empty one, asks for the account's whole permissions
            assertThat(form("/oauth/token", "grant_type=client_credentials&scope=", basic(c.id(), c.secret())).expect(200)
                .json().has("scope")).isFalse();
        }

        @Test
        void a_token_exchange_takes_an_access_token_as_actor_and_nothing_else() {
            Client c = client();
            String base = "grant_type=" + enc(TOKEN_EXCHANGE) + "&subject_token=" + enc(c.id())
                + "&subject_token_type=" + enc(OAuthRoutes.SERVICE_ACCOUNT_TOKEN_TYPE) + "&actor_token=" + enc(admin());
            for (String type : new String[] {"urn:example:bogus", "urn:ietf:params:oauth:token-type:id_token", ""}) {
                Response r = form("/oauth/token", base + "&actor_token_type=" + enc(type), null);
                assertThat(r.status()).as(type).isEqualTo(400);
                assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
            }
            Response missing = form("/oauth/token", base, null);
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.json().get("error").asText()).isEqualTo("invalid_request");
            Response typeAlone = form("/oauth/token", base.replace("&actor_token=" + enc(admin()), "")
                + "&actor_token_type=" + enc(OAuthRoutes.ACCESS_TOKEN_TYPE), null);
            assertThat(typeAlone.status()).isEqualTo(400);
            form("/oauth/token", exchange(c, admin()), null).expect(200);
        }

        @Test
        void audience_and_resource_are_one_bounded_target() {
            Client c = client();
            String grant = "grant_type=client_credentials";
            String jwtSized = "eyJ" + "A".repeat(135_000);
            String[] refused = {
                "&audience=" + jwtSized,
                "&audience=" + "a".repeat(256),
                "&audience=" + enc("https://api.example.com/ x"),
                "&audience=a%00b",
                "&resource=" + "https%3A%2F%2Fr.example%2F" + "a".repeat(240),
                "&resource=not-absolute",
                "&resource=" + enc("https://r.example/#frag"),
                "&audience=" + enc(PLATFORM_API) + "&resource=" + enc("https://other.example"),
            };
            for (String extra : refused) {
                Response r = form("/oauth/token", grant + extra, basic(c.id(), c.secret()));
                String shown = extra.length() > 60 ? extra.substring(0, 60) : extra;
                assertThat(r.status()).as(shown).isEqualTo(400);
                assertThat(r.json().get("error").asText()).as(shown).isEqualTo(extra.contains("%00") ? "invalid_request" : "invalid_target");
                assertThat(r.body()).as(shown).doesNotContain("access_token").hasSizeLessThan(1_000);
                Response x = form("/oauth/token", exchange(c, admin()) + extra, null);
                assertThat(x.status()).as("exchange " + shown).isEqualTo(400);
            }
            for (String extra : new String[] {"&audience=a&audience=b", "&resource=" + enc("https://a/\u0000")}) {
                Response r = form("/oauth/token", grant + extra, basic(c.id(), c.secret()));
                assertThat(r.status()).as(extra).isEqualTo(400);
                assertThat(r.json().get("error").asText()).as(extra).isEqualTo("invalid_request");
            }
            // the client is authenticated first: a wrong secret is told so, whatever it asked for
            assertThat(form("/oauth/token", grant + "&audience=" + jwtSized, basic(c.id(), c.secret() + "x")).status()).isEqualTo(401);
            String longest = "a".repeat(255);
            assertThat(aud(form("/oauth/token", grant + "&audience=" + longest, basic(c.id(), c.secret())))).containsExactly(longest);
            assertThat(aud(form("/oauth/token", grant + "&resource=" + enc(PLATFORM_API), basic(c.id(), c.secret()))))
                .containsExactly(PLATFORM_API);
            assertThat(aud(form("/oauth/token", grant + "&audience=" + enc(PLATFORM_API) + "&resource=" + enc(PLATFORM_API),
                basic(c.id(), c.secret())))).containsExactly(PLATFORM_API);
        }
    }

    /** The issuer comes from configuration only, and Servitor's own API takes only tokens meant for it. */
    @Nested
    class Audiences {
        @Test
        void the_host_header_never_names_the_issuer() throws Exception {
            String meta = raw("GET /.well-known/oauth-authorization-server HTTP/1.0\r\nHost: evil.example\r\n\r\n");
            assertThat(meta).matches("(?s)HTTP/1\\.[01] 200 .*").doesNotContain("evil.example")
                .contains("\"issuer\":\"" + server.url() + "\"").contains("\"token_endpoint\":\"" + server.url() + "/oauth/token\"");
            Client c = client();
            String body = "grant_type=client_credentials";
            String answer = raw("POST /oauth/token HTTP/1.0\r\nHost: evil.example\r\nAuthorization: " + basic(c.id(), c.secret())
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(answer).matches("(?s)HTTP/1\\.[01] 200 .*");
            String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4))
                .get("access_token").asText();
            assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer()).isEqualTo(server.url());
            assertThat(SignedJWT.parse(token).getJWTClaimsSet().getAudience()).containsExactly(server.url());
            assertThat(server.get("/v1/whoami", token).status()).isEqualTo(200);
        }

        @Test
        void a_token_for_another_audience_is_refused_by_v1_but_verified_for_that_api() throws Exception {
            Client c = client();
            Response foreign = form("/oauth/token", "grant_type=client_credentials&audience=" + enc("https://partner.example"),
                basic(c.id(), c.secret())).expect(200);
            String token = foreign.json().get("access_token").asText();
            assertThat(SignedJWT.parse(token).getJWTClaimsSet().getAudience()).containsExactly("https://partner.example");
            Response v1 = server.get("/v1/whoami", token);
            assertThat(v1.status()).isEqualTo(401);
            assertThat(v1.json().get("detail").asText()).isEqualTo("A valid credential is required");
            // the API it is for checks it with /v1/verify or introspection (the contract's "Access tokens")
            assertThat(verify(token).get("code").asText()).isEqualTo("VALID");
            assertThat(introspect(token).get("active").asBoolean()).isTrue();
            assertThat(introspect(token).get("aud").toString()).contains("https://partner.example");
            // but it is no credential for Servitor itself: not as the actor of a token exchange, nor as the caller of an introspection
            Response asActor = form("/oauth/token", exchange(c, token), null);
            assertThat(asActor.status()).isEqualTo(400);
            assertThat(asActor.json().get("error").asText()).isEqualTo("invalid_grant");
            assertThat(form("/oauth/introspect", "token=" + enc(token), "Bearer " + token).status()).isEqualTo(401);

            // the issuer's own audience and the configured platform API's are Servitor's
            for (String own : new String[] {PLATFORM_API, server.url()}) {
                String t = form("/oauth/token", "grant_type=client_credentials&audience=" + enc(own), basic(c.id(), c.secret()))
                    .expect(200).json().get("access_token").asText();
                assertThat(server.get("/v1/whoami", t).status()).as(own).isEqualTo(200);
                assertThat(verify(t).get("code").asText()).isEqualTo("VALID");
                assertThat(introspect(t).get("active").asBoolean()).isTrue();
            }
            // an impersonation asked for another audience is that audience's too
            String acting = form("/oauth/token", exchange(c, admin()) + "&audience=" + enc("https://partner.example"), null)
                .expect(200).json().get("access_token").asText();
            assertThat(server.get("/v1/whoami", acting).status()).isEqualTo(401);
            assertThat(verify(acting).get("code").asText()).isEqualTo("VALID");
        }
    }

    private String exchange(Client c, String actor) {
        return "grant_type=" + enc(TOKEN_EXCHANGE) + "&subject_token=" + enc(c.id())
            + "&subject_token_type=" + enc(OAuthRoutes.SERVICE_ACCOUNT_TOKEN_TYPE)
            + "&actor_token=" + enc(actor) + "&actor_token_type=" + enc(OAuthRoutes.ACCESS_TOKEN_TYPE);
    }

    private static List<String> aud(Response grant) {
        try {
            return SignedJWT.parse(grant.expect(200).json().get("access_token").asText()).getJWTClaimsSet().getAudience();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends {@code request} as written (the JDK's client will not send another Host) and returns the whole answer. */
    private String raw(String request) throws IOException {
        URI u = URI.create(server.url());
        try (Socket socket = new Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    @Nested
    class Secrets {
        @Test
        void the_secret_is_shown_once_and_audited_without_it() {
            Client c = client();
            assertThat(server.get("/v1/service-accounts/" + c.name(), admin()).body()).doesNotContain(c.secret());
            String events = server.get("/v1/audit-events?action=secret.generate", admin()).expect(200).body();
            assertThat(events).contains("service_account:" + c.name()).doesNotContain(c.secret().substring(4));
            assertThat(server.post("/v1/service-accounts/ghost/secret", admin(), null).status()).isEqualTo(404);
            assertThat(server.post("/v1/service-accounts/" + c.name() + "/secret", admin(), "{\"grace_seconds\":-1}").status()).isEqualTo(422);
            String plain = server.createKey(c.name(), "k");
            assertThat(server.post("/v1/service-accounts/" + c.name() + "/secret", plain, null).status()).isEqualTo(403);
        }

        @Test
        void token_grants_are_audited_in_batches() {
            Client c = client();
            token(c);
            server.servitor().auditLog().flushQueued();
            JsonNode e = server.get("/v1/audit-events?action=token.issue&target=service_account%3A" + c.name(), admin())
                .expect(200).json().get("audit_events").get(0);
            assertThat(e.get("actor").asText()).isEqualTo(c.name() + "@default.sa.servitor.local");
            assertThat(server.get("/v1/audit-events/verify", admin()).json().get("intact").asBoolean()).isTrue();
        }
    }

}
