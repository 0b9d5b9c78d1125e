// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.config.ServitorConfig;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.server.testing.TestServer.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@link CredentialGate} against a real server, grouped by the status it answers: who is
 * calling is decided once, before the body, with the failure limits (5 failures a minute per
 * address, 3 per client id here), on /v1, the verify hot path and the OAuth endpoints alike; and
 * the OAuth client authentication's edge cases as docs/api.md decides them. Each test speaks
 * from addresses of its own (X-Forwarded-For from a trusted loopback proxy).
 */
abstract class CredentialGateContract extends ProxiedContract {
    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final int PARALLEL = 100;

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        return config.withAccess(new ServitorConfig.Access(config.access().instanceSizes(), 5, 3));
    }

    /** An address no other test speaks from. */
    private static String freshAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.18." + (n / 250) + "." + (n % 250 + 1);
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private Response form(String path, String body, String authorization, String from) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", FORM)
            .header("X-Forwarded-For", from).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        return server.send(b.build());
    }

    private Response verify(String gatewayKey, String body, String from) {
        return call("POST", "/v1/verify", gatewayKey, body, from);
    }

    private String validKey() {
        String sa = unique("gate");
        server.createServiceAccount(sa);
        return server.createKey(sa, "k");
    }

    /** Sends {@code PARALLEL} requests at once and counts the answers by status. */
    private static Map<Integer, Long> inParallel(Function<Integer, Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                int n = i;
                Callable<Response> call = () -> {
                    go.await();
                    return request.apply(n);
                };
                answers.add(pool.submit(call));
            }
            go.countDown();
            List<Response> all = new ArrayList<>();
            for (Future<Response> f : answers) all.add(f.get());
            for (Response r : all) {
                if (r.status() == 429) assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 60L);
            }
            return all.stream().collect(Collectors.groupingBy(Response::status, Collectors.counting()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Nested
    @DisplayName("200: what the gate lets through")
    class Admitted {
        @Test
        void basic_with_several_spaces_before_its_credentials_is_accepted_at_every_oauth_endpoint() {
            Client c = client("spaces");
            String from = freshAddress();
            String twoSpaces = basic(c.id(), c.secret()).replace("Basic ", "Basic  ");
            String token = form("/oauth/token", "grant_type=client_credentials", twoSpaces, from).expect(200).json()
                .get("access_token").asText();
            assertThat(form("/oauth/introspect", "token=" + enc(token), twoSpaces, from).expect(200).json().get("active").asBoolean())
                .isTrue();
            form("/oauth/revoke", "token=" + enc(token), "basic   " + basic(c.id(), c.secret()).substring(6), from).expect(200);
            assertThat(form("/oauth/introspect", "token=" + enc(token), twoSpaces, from).json().get("active").asBoolean()).isFalse();
        }

        @Test
        void a_blank_client_id_beside_basic_is_as_if_it_were_omitted() {
            Client c = client("blank");
            form("/oauth/token", "grant_type=client_credentials&client_id=", basic(c.id(), c.secret()), freshAddress()).expect(200);
        }

        @Test
        void a_valid_key_used_before_a_flood_from_its_address_still_works_during_it() throws Exception {
            String key = validKey();
            String from = freshAddress();
            whoami(key, from).expect(200);
            inParallel(n -> whoami(SecretFormat.generate("svt"), from));
            whoami(key, from).expect(200);
        }
    }

    @Nested
    @DisplayName("400: a malformed request, from a client that may make it")
    class Malformed {
        @Test
        void a_client_assertion_beside_basic_or_a_client_secret_is_two_ways_of_authenticating() {
            Client c = client("twoways");
            String assertion = "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion=not.a.jwt";
            for (String[] a : new String[][] {
                {"grant_type=client_credentials" + assertion, basic(c.id(), c.secret())},
                {"grant_type=client_credentials&client_id=" + enc(c.id()) + "&client_secret=" + enc(c.secret()) + assertion, null}}) {
                Response r = form("/oauth/token", a[0], a[1], freshAddress());
                assertThat(r.status()).as(a[0]).isEqualTo(400);
                assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
            }
        }

        @Test
        void the_target_is_read_only_once_the_client_is_authenticated() {
            Client c = client("target");
            Response r = form("/oauth/token", "grant_type=client_credentials&resource=not-absolute", basic(c.id(), c.secret()), freshAddress());
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_target");
        }
    }

    @Nested
    @DisplayName("401: no credential the gate recognises")
    class Unauthenticated {
        private void assertInvalidClient(Response r, String what) {
            assertThat(r.status()).as(what).isEqualTo(401);
            assertThat(r.json().get("error").asText()).as(what).isEqualTo("invalid_client");
            assertThat(r.header("WWW-Authenticate")).as(what).startsWith("Basic");
            assertThat(r.header("Cache-Control")).as(what).isEqualTo("no-store");
        }

        @Test
        void a_wrong_secret_is_told_before_anything_wrong_with_the_target_or_scope() {
            for (String extra : new String[] {"&resource=not-absolute", "&audience=a&resource=b", "&scope=%22", "&scope=org_admin"}) {
                Client c = client("order"); // a client id's own budget is 3 failures
                assertInvalidClient(form("/oauth/token", "grant_type=client_credentials" + extra, basic(c.id(), c.secret() + "x"),
                    freshAddress()), extra);
            }
        }

        @Test
        void a_blank_client_id_with_a_secret_is_no_client_authentication() {
            Client c = client("blankid");
            assertInvalidClient(form("/oauth/token", "grant_type=client_credentials&client_id=&client_secret=" + enc(c.secret()), null,
                freshAddress()), "blank client_id");
            assertInvalidClient(form("/oauth/introspect", "token=x&client_id=&client_secret=" + enc(c.secret()), null, freshAddress()),
                "blank client_id at introspection");
        }

        @Test
        void a_malformed_client_assertion_or_one_no_account_signed_is_the_one_invalid_client() {
            String type = "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            String jwtShaped = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzYV94In0.c2ln";
            for (String assertion : new String[] {"not-a-jwt", jwtShaped, "%C3%BC"}) {
                assertInvalidClient(form("/oauth/token", "grant_type=client_credentials" + type + "&client_assertion=" + assertion, null,
                    freshAddress()), assertion);
                assertInvalidClient(form("/oauth/introspect", "token=x" + type + "&client_assertion=" + assertion, null, freshAddress()),
                    "introspection " + assertion);
            }
        }

        @Test
        void an_introspection_or_revocation_authenticates_its_caller_before_reading_the_token() {
            Client c = client("first");
            for (String path : new String[] {"/oauth/introspect", "/oauth/revoke"}) {
                assertInvalidClient(form(path, "token_type_hint=access_token", basic(c.id(), c.secret() + "x"), freshAddress()), path);
                assertInvalidClient(form(path, "token=", null, freshAddress()), path + " without a client");
            }
        }

        @Test
        void a_token_exchange_checks_a_client_authentication_it_carries() {
            Client c = client("exchange");
            String exchange = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange") + "&subject_token=" + enc(c.id())
                + "&subject_token_type=" + enc(OAuthRoutes.SERVICE_ACCOUNT_TOKEN_TYPE) + "&actor_token=" + enc(admin())
                + "&actor_token_type=" + enc(OAuthRoutes.ACCESS_TOKEN_TYPE);
            assertInvalidClient(form("/oauth/token", exchange, basic(c.id(), c.secret() + "x"), freshAddress()), "wrong secret");
            form("/oauth/token", exchange, basic(c.id(), c.secret()), freshAddress()).expect(200);
        }
    }

    @Nested
    @DisplayName("403: a caller without the permission, whatever it sent")
    class Forbidden {
        @Test
        void a_caller_without_verify_gets_403_at_the_verify_hot_path_whatever_the_body() {
            String plain = validKey();
            String from = freshAddress();
            for (String body : new String[] {"{", "[]", "{\"unknown\":1}", "{\"credential\":42}", "{\"credential\":\"x\",\"ip\":\"nope\"}",
                "{\"credential\":\"a\",\"credential\":\"b\"}", "{}"}) {
                assertProblem(verify(plain, body, from), 403, "forbidden");
            }
        }

        @Test
        void the_hot_path_audits_a_refused_verifier_once() {
            String sa = unique("refused");
            server.createServiceAccount(sa);
            String plain = server.createKey(sa, "k");
            assertProblem(verify(plain, "{\"credential\":\"" + plain + "\"}", freshAddress()), 403, "forbidden");
            server.servitor().auditLog().flushQueued();
            String events = server.get("/v1/audit-events?outcome=denied&action=credential.verify", admin()).expect(200).body();
            assertThat(events.split(sa + "@", -1).length - 1).as(events).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("429: too many failures, counted once each")
    class TooManyFailures {
        @Test
        void a_hundred_parallel_bad_keys_from_one_address_get_exactly_five_401s() throws Exception {
            String from = freshAddress();
            Map<Integer, Long> answers = inParallel(n -> whoami(SecretFormat.generate("svt"), from));
            assertThat(answers).isEqualTo(Map.of(401, 5L, 429, 95L));
        }

        @Test
        void a_hundred_parallel_bad_gateway_keys_at_the_verify_hot_path_get_exactly_five_401s() throws Exception {
            String from = freshAddress();
            Map<Integer, Long> answers = inParallel(n -> verify(SecretFormat.generate("svt"), "{\"credential\":\"x\"}", from));
            assertThat(answers).isEqualTo(Map.of(401, 5L, 429, 95L));
        }

        @Test
        void a_refusal_the_hot_path_hands_on_is_counted_once() {
            String from = freshAddress();
            for (int i = 0; i < 5; i++) assertProblem(verify(SecretFormat.generate("svt"), "{\"credential\":\"x\"}", from), 401, "unauthenticated");
            assertProblem(verify(SecretFormat.generate("svt"), "{\"credential\":\"x\"}", from), 429, "rate_limited");
        }

        @Test
        void a_hundred_parallel_wrong_secrets_for_one_client_get_exactly_three_401s_and_the_right_secret_still_works() throws Exception {
            Client c = client("flooded");
            String from = freshAddress();
            Map<Integer, Long> answers = inParallel(n -> form("/oauth/token", "grant_type=client_credentials",
                basic(c.id(), SecretFormat.generate("svs")), from));
            assertThat(answers).isEqualTo(Map.of(401, 3L, 429, 97L));
            form("/oauth/token", "grant_type=client_credentials", basic(c.id(), c.secret()), freshAddress()).expect(200);
        }

        @Test
        void wrong_client_secrets_at_introspection_are_limited_as_at_the_token_endpoint() {
            Client c = client("introspected");
            String from = freshAddress();
            for (int i = 0; i < 3; i++) {
                assertThat(form("/oauth/introspect", "token=x", basic(c.id(), SecretFormat.generate("svs")), from).status()).isEqualTo(401);
            }
            Response r = form("/oauth/introspect", "token=x", basic(c.id(), SecretFormat.generate("svs")), from);
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.json().get("error").asText()).isEqualTo("temporarily_unavailable");
            assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 60L);
            form("/oauth/introspect", "token=x", basic(c.id(), c.secret()), freshAddress()).expect(200);
        }

        @Test
        void a_rate_limited_bearer_at_introspection_is_told_to_wait_not_that_it_is_unknown() {
            String from = freshAddress();
            for (int i = 0; i < 5; i++) form("/oauth/introspect", "token=x", "Bearer " + SecretFormat.generate("svt"), from);
            Response r = form("/oauth/introspect", "token=x", "Bearer " + SecretFormat.generate("svt"), from);
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.json().get("error").asText()).isEqualTo("temporarily_unavailable");
        }
    }
}
