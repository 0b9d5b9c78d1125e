// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.leak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.servitor.config.ServitorConfig;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.WebhookReceiver;
import dev.servitor.testing.WebhookReceiver.Received;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Leak response and credential policy (docs/api.md "Leaked credentials", "Credential policy")
 * through a real server: GitHub's keys are test keys served by a local HTTP server in GitHub's
 * format, payloads are signed with them, and webhook events reach a real receiver.
 */
abstract class LeaksContract extends ApiContract {
    private static final String KEY_ID = "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a";
    private final KeyPair github = keyPair();
    private final KeyPair stranger = keyPair();
    private final AtomicInteger keyFetches = new AtomicInteger();
    private final AtomicInteger addresses = new AtomicInteger();
    private HttpServer keyServer;
    private WebhookReceiver receiver;

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        try {
            keyServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(github.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
            byte[] keys = ("{\"public_keys\":[{\"key_identifier\":\"" + KEY_ID + "\",\"key\":\"" + pem.replace("\r\n", "\\n").replace("\n", "\\n")
                + "\",\"is_current\":true}]}").getBytes(StandardCharsets.UTF_8);
            keyServer.createContext("/meta/public_keys/secret_scanning", ex -> {
                keyFetches.incrementAndGet();
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, keys.length);
                ex.getResponseBody().write(keys);
                ex.close();
            });
            keyServer.start();
            receiver = new WebhookReceiver();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String keysUrl = "http://127.0.0.1:" + keyServer.getAddress().getPort() + "/meta/public_keys/secret_scanning";
        ServitorConfig.Http h = config.http();
        // the loopback client is a trusted proxy, so each test reports from its own X-Forwarded-For address
        return config.withOutbound(new ServitorConfig.Outbound(List.of(), true, keysUrl, null))
            .withHttp(new ServitorConfig.Http(h.host(), h.port(), h.publicUrl(), List.of("127.0.0.1")));
    }

    @AfterAll
    void stopHelpers() {
        keyServer.stop(0);
        receiver.close();
    }

    @BeforeEach
    void cleanSlate() {
        receiver.clear();
        server.patch("/v1/org", admin(), "{\"credential_policy\":{\"max_key_lifetime_days\":null,\"on_leak\":\"revoke\","
            + "\"require_network_policy\":false}}").expect(200);
        for (JsonNode w : server.get("/v1/webhooks?page_size=100", admin()).expect(200).json().get("webhooks")) {
            server.delete("/v1/webhooks/" + w.get("id").asText(), admin()).expect(204);
        }
        server.post("/v1/webhooks", admin(), "{\"url\":\"" + receiver.url() + "\",\"events\":[\"key.exposed\",\"secret.exposed\"]}")
            .expect(201);
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(KeyPair pair, String body) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(pair.getPrivate());
            s.update(body.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String match(String token, String url) {
        return "{\"token\":\"" + token + "\",\"type\":\"servitor_api_key\",\"url\":\"" + url + "\",\"source\":\"content\"}";
    }

    private Response github(String body, String keyId, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/v1/leaks/github"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (keyId != null) b.header("Github-Public-Key-Identifier", keyId);
        if (signature != null) b.header("Github-Public-Key-Signature", signature);
        return server.send(b.build());
    }

    private Response signedByGitHub(String body) {
        return github(body, KEY_ID, sign(github, body));
    }

    private Response report(String address, String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/v1/leaks/report"))
            .header("Content-Type", "application/json").header("X-Forwarded-For", address)
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        return server.send(b.build());
    }

    /** An address no other test reports from, so each test has its own rate limit. */
    private String freshAddress() {
        return "198.51.100." + addresses.incrementAndGet();
    }

    private static void await(BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("never happened");
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void assertProblem(Response r, int status, String code, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("code").asText()).isEqualTo(code);
        if (field != null) assertThat(r.json().get("field").asText()).isEqualTo(field);
    }

    private JsonNode auditEvents(String action) {
        return server.get("/v1/audit-events?action=" + action, admin()).expect(200).json().get("audit_events");
    }

    @Nested
    class GitHubSecretScanning {
        @Test
        void a_signed_payload_revokes_a_live_key_answers_true_positive_and_fires_key_exposed() {
            String sa = unique("leaky");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            assertThat(status(key)).isEqualTo(200);
            String url = "https://github.com/acme/app/blob/abc123/config.yml";
            String body = "[" + match(key, url) + "]";

            JsonNode answer = signedByGitHub(body).expect(200).json();

            assertThat(answer.isArray()).isTrue();
            assertThat(answer).hasSize(1);
            assertThat(answer.get(0).get("token_raw").asText()).isEqualTo(key);
            assertThat(answer.get(0).get("token_type").asText()).isEqualTo("servitor_api_key");
            assertThat(answer.get(0).get("label").asText()).isEqualTo("true_positive");
            assertThat(status(key)).isEqualTo(401); // revoked at once
            assertThat(verify(key).get("code").asText()).isEqualTo("REVOKED");
            Received event = receiver.awaitType("key.exposed");
            assertThat(event.body()).contains(url);
            JsonNode audited = auditEvents("key.exposed");
            assertThat(audited.toString()).contains(url).contains("\"revoked\"").contains("github:content");
            assertThat(audited.toString()).doesNotContain(key); // never the secret itself
        }

        @Test
        void a_bad_signature_changes_nothing_and_is_refused_before_any_lookup() {
            String sa = unique("safe");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            String body = "[" + match(key, "https://github.com/x/y") + "]";

            assertProblem(github(body, KEY_ID, sign(stranger, body)), 403, "forbidden", null);
            assertProblem(github(body, KEY_ID, sign(github, body + " ")), 403, "forbidden", null); // signed another body
            assertProblem(github(body, "unknown-key-id", sign(github, body)), 403, "forbidden", null);
            assertProblem(github(body, KEY_ID, "not base64 at all!"), 403, "forbidden", null);
            assertProblem(github(body, null, null), 401, "unauthenticated", null);
            assertProblem(github(body, KEY_ID, null), 401, "unauthenticated", null);

            assertThat(status(key)).isEqualTo(200);
            assertThat(auditEvents("key.exposed").toString()).doesNotContain(sa);
        }

        @Test
        void an_unknown_or_malformed_token_is_a_false_positive_and_changes_nothing() {
            String unknown = SecretFormat.generate("svt");
            String body = "[" + match(unknown, "https://github.com/x/y") + "," + match("svt_not-a-key", "https://github.com/x/z") + "]";
            JsonNode answer = signedByGitHub(body).expect(200).json();
            assertThat(answer).hasSize(2);
            assertThat(answer.get(0).get("token_raw").asText()).isEqualTo(unknown);
            assertThat(answer.get(0).get("label").asText()).isEqualTo("false_positive");
            assertThat(answer.get(1).get("label").asText()).isEqualTo("false_positive");
        }

        @Test
        void an_unknown_identifier_fetches_the_keys_again_at_most_once_a_minute() {
            String body = "[]";
            github(body, "made-up-1", sign(github, body)).expect(403);
            int after = keyFetches.get();
            for (int i = 0; i < 5; i++) github(body, "made-up-" + (i + 2), sign(github, body)).expect(403);
            assertThat(keyFetches.get()).isEqualTo(after);
            signedByGitHub(body).expect(200); // the known key still verifies from the cache
        }

        @Test
        void under_on_leak_notify_a_key_is_flagged_and_keeps_working() {
            server.patch("/v1/org", admin(), "{\"credential_policy\":{\"on_leak\":\"notify\"}}").expect(200);
            String sa = unique("flagged");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            String body = "[" + match(key, "https://gist.github.com/someone/1") + "]";

            assertThat(signedByGitHub(body).expect(200).json().get(0).get("label").asText()).isEqualTo("true_positive");

            assertThat(status(key)).isEqualTo(200);
            Received event = receiver.awaitType("key.exposed");
            assertThat(event.body()).contains("flagged").contains("gist.github.com");
        }

        @Test
        void a_leaked_client_secret_is_revoked_and_fires_secret_exposed() {
            String sa = unique("oauth");
            server.createServiceAccount(sa);
            JsonNode generated = server.post("/v1/service-accounts/" + sa + "/secret", admin(), "{}").expect(201).json();
            String secret = generated.get("client_secret").asText();
            String body = "[" + match(secret, "https://github.com/x/secret") + "]";

            assertThat(signedByGitHub(body).expect(200).json().get(0).get("label").asText()).isEqualTo("true_positive");

            Response token = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + generated.get("client_id").asText()
                    + "&client_secret=" + secret)).build());
            assertThat(token.status()).isEqualTo(401);
            assertThat(receiver.awaitType("secret.exposed").body()).contains(sa);
        }
    }

    @Nested
    class AnonymousReports {
        @Test
        void a_live_key_reported_is_answered_202_like_anything_else_and_revoked_soon_after() {
            String sa = unique("reported");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            String address = freshAddress();

            Response live = report(address, null, "{\"credential\":\"" + key + "\",\"url\":\"https://pastebin.com/abc\"}");
            Response unknown = report(address, null, "{\"credential\":\"" + SecretFormat.generate("svt") + "\",\"url\":\"https://pastebin.com/abc\"}");
            Response garbage = report(address, null, "{\"credential\":\"hunter2\"}");

            for (Response r : List.of(live, unknown, garbage)) {
                assertThat(r.status()).as(r.body()).isEqualTo(202);
                assertThat(r.body()).isEqualTo(live.body()); // the same answer whatever was reported
            }
            await(() -> status(key) == 401);
            assertThat(receiver.awaitType("key.exposed").body()).contains("pastebin.com/abc");
            assertThat(auditEvents("key.exposed").toString()).contains("\"report\"");
        }

        @Test
        void reports_are_limited_per_address() {
            String address = freshAddress();
            for (int i = 0; i < 10; i++) report(address, null, "{\"credential\":\"x" + i + "\"}").expect(202);
            Response limited = report(address, null, "{\"credential\":\"x\"}");
            assertProblem(limited, 429, "rate_limited", null);
            assertThat(limited.header("Retry-After")).isNotNull();
            report(freshAddress(), null, "{\"credential\":\"x\"}").expect(202); // another address is not limited
        }

        @Test
        void a_credential_in_authorization_is_never_looked_at_so_the_routes_tell_nothing_about_it() {
            String sa = unique("quiet");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            String address = freshAddress();
            Response withLiveKey = report(address, "Bearer " + key, "{\"credential\":\"nothing\"}");
            Response withUnknownKey = report(address, "Bearer " + SecretFormat.generate("svt"), "{\"credential\":\"nothing\"}");
            Response withGarbage = report(address, "Bearer garbage", "{\"credential\":\"nothing\"}");
            for (Response r : List.of(withLiveKey, withUnknownKey, withGarbage)) {
                assertThat(r.status()).isEqualTo(202);
                assertThat(r.body()).isEqualTo(withLiveKey.body());
                assertThat(r.header("WWW-Authenticate")).isNull();
            }
            // GitHub's route the same: without a valid signature the answer is the same refusal whatever Authorization holds
            Response a = github("[]", KEY_ID, sign(stranger, "[]"));
            assertThat(a.status()).isEqualTo(403);
            HttpRequest withKey = HttpRequest.newBuilder(URI.create(server.url() + "/v1/leaks/github")).header("Authorization", "Bearer " + key)
                .header("Github-Public-Key-Identifier", KEY_ID).header("Github-Public-Key-Signature", sign(stranger, "[]"))
                .POST(HttpRequest.BodyPublishers.ofString("[]")).build();
            assertThat(server.send(withKey).status()).isEqualTo(403);
            assertThat(status(key)).isEqualTo(200); // and nothing happened to the key
        }
    }

    @Nested
    class CredentialPolicy {
        @Test
        void the_policy_is_shown_in_get_org_and_validated() {
            JsonNode org = server.get("/v1/org", admin()).expect(200).json();
            assertThat(org.get("credential_policy").get("on_leak").asText()).isEqualTo("revoke");
            assertThat(org.get("credential_policy").get("max_key_lifetime_days").isNull()).isTrue();
            JsonNode patched = server.patch("/v1/org", admin(), "{\"credential_policy\":{\"max_key_lifetime_days\":90,"
                + "\"dormant_after_days\":30}}").expect(200).json().get("credential_policy");
            assertThat(patched.get("max_key_lifetime_days").asInt()).isEqualTo(90);
            assertThat(patched.get("dormant_after_days").asInt()).isEqualTo(30);
            assertThat(patched.get("on_leak").asText()).isEqualTo("revoke");
            assertProblem(server.patch("/v1/org", admin(), "{\"credential_policy\":{\"on_leak\":\"explode\"}}"), 422, "invalid_value",
                "credential_policy.on_leak");
            assertProblem(server.patch("/v1/org", admin(), "{\"credential_policy\":{\"max_key_lifetime_days\":0}}"), 422, "invalid_value",
                "credential_policy.max_key_lifetime_days");
            assertProblem(server.patch("/v1/org", admin(), "{\"credential_policy\":{\"bogus\":1}}"), 400, "unknown_field",
                "credential_policy.bogus");
            server.patch("/v1/org", admin(), "{\"credential_policy\":{\"dormant_after_days\":null}}").expect(200);
        }

        @Test
        void a_new_key_longer_than_the_maximum_or_without_expiry_is_422_naming_the_field() {
            String sa = unique("bounded");
            server.createServiceAccount(sa);
            String before = server.post("/v1/service-accounts/" + sa + "/keys", admin(), "{\"name\":\"forever\"}").expect(201).json()
                .get("id").asText();
            server.patch("/v1/org", admin(), "{\"credential_policy\":{\"max_key_lifetime_days\":30}}").expect(200);
            String keys = "/v1/service-accounts/" + sa + "/keys";

            assertProblem(server.post(keys, admin(), "{\"name\":\"a\"}"), 422, "key_lifetime_exceeds_policy", "ttl_seconds");
            assertProblem(server.post(keys, admin(), "{\"name\":\"b\",\"expires_in_days\":31}"), 422, "key_lifetime_exceeds_policy",
                "expires_in_days");
            assertProblem(server.post(keys, admin(), "{\"name\":\"c\",\"ttl_seconds\":2592001}"), 422, "key_lifetime_exceeds_policy",
                "ttl_seconds");
            server.post(keys, admin(), "{\"name\":\"d\",\"expires_in_days\":30}").expect(201);
            // rotation's successor inherits "never expires", which the policy no longer allows
            assertProblem(server.post(keys + "/" + before + "/rotate", admin(), "{}"), 422, "key_lifetime_exceeds_policy", "expires_at");
            // the key issue_key makes with a new service account lives the maximum rather than forever
            String issued = unique("issued");
            server.post("/v1/service-accounts", admin(), "{\"name\":\"" + issued + "\",\"issue_key\":true}").expect(201);
            JsonNode listed = server.get("/v1/service-accounts/" + issued + "/keys", admin()).expect(200).json().get("keys").get(0);
            java.time.Instant expires = java.time.Instant.parse(listed.get("expires_at").asText());
            assertThat(expires).isBetween(java.time.Instant.now().plus(Duration.ofDays(30)).minusSeconds(600),
                java.time.Instant.now().plus(Duration.ofDays(30)).plusSeconds(600));
            // personal keys too
            String user = unique("person");
            server.post("/v1/users", admin(), "{\"username\":\"" + user + "\",\"email\":\"" + user + "@example.com\"}").expect(201);
            assertProblem(server.post("/v1/users/" + user + "/keys", admin(), "{\"name\":\"p\"}"), 422, "key_lifetime_exceeds_policy",
                "ttl_seconds");
        }

        private Response sql(String script) {
            return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/sql")).header("Authorization", "Bearer " + admin())
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(script)).build());
        }

        @Test
        void sql_sets_and_shows_the_policy_and_goes_through_the_same_rule() {
            String sa = unique("sqlbound");
            server.createServiceAccount(sa);
            sql("ALTER ORGANIZATION SET CREDENTIAL_POLICY (MAX_KEY_LIFETIME_DAYS = 1, DORMANT_AFTER_DAYS = 30, ON_LEAK = 'notify', "
                + "REQUIRE_NETWORK_POLICY = FALSE);").expect(200);
            JsonNode shown = sql("SHOW ORGANIZATION;").expect(200).json().get("results").get(0);
            List<String> columns = new java.util.ArrayList<>();
            shown.get("columns").forEach(c -> columns.add(c.asText()));
            JsonNode row = shown.get("rows").get(0);
            assertThat(row.get(columns.indexOf("max_key_lifetime_days")).asLong()).isEqualTo(1);
            assertThat(row.get(columns.indexOf("dormant_after_days")).asLong()).isEqualTo(30);
            assertThat(row.get(columns.indexOf("on_leak")).asText()).isEqualTo("notify");
            assertThat(row.get(columns.indexOf("require_network_policy")).asBoolean()).isFalse();
            assertThat(server.get("/v1/org", admin()).expect(200).json().get("credential_policy").get("on_leak").asText()).isEqualTo("notify");

            assertProblem(sql("CREATE API KEY k FOR SERVICE ACCOUNT \"" + sa + "\" WITH TTL = 86401;"), 422, "key_lifetime_exceeds_policy", null);
            assertProblem(sql("CREATE API KEY k FOR SERVICE ACCOUNT \"" + sa + "\";"), 422, "key_lifetime_exceeds_policy", null);
            sql("CREATE API KEY k FOR SERVICE ACCOUNT \"" + sa + "\" WITH TTL = 86400;").expect(200);
            assertProblem(sql("ALTER ORGANIZATION SET CREDENTIAL_POLICY (MAX_KEY_LIFETIME_DAYS = 0);"), 422, "invalid_value", null);
            assertProblem(sql("ALTER ORGANIZATION SET CREDENTIAL_POLICY (ON_LEAK = 'explode');"), 400, "syntax_error", null);
            sql("ALTER ORGANIZATION SET CREDENTIAL_POLICY (MAX_KEY_LIFETIME_DAYS = NULL, DORMANT_AFTER_DAYS = NULL);").expect(200);
            assertThat(server.get("/v1/org", admin()).expect(200).json().get("credential_policy").get("max_key_lifetime_days").isNull()).isTrue();
        }

        @Test
        void require_network_policy_refuses_a_service_account_without_one_from_the_very_next_request() {
            String sa = unique("fenced");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            assertThat(status(key)).isEqualTo(200);

            server.patch("/v1/org", admin(), "{\"credential_policy\":{\"require_network_policy\":true}}").expect(200);

            assertProblem(server.get("/v1/whoami", key), 403, "network_policy_required", null);
            JsonNode verified = verify(key);
            assertThat(verified.get("valid").asBoolean()).isFalse();
            assertThat(verified.get("code").asText()).isEqualTo("NETWORK_POLICY_REQUIRED");
            assertThat(status(admin())).isEqualTo(200); // users are not service accounts

            String policy = unique("office");
            server.post("/v1/network-policies", admin(), "{\"name\":\"" + policy + "\",\"allowed_ips\":[\"127.0.0.0/8\"]}").expect(201);
            server.patch("/v1/service-accounts/" + sa, admin(), "{\"network_policy\":\"" + policy + "\"}").expect(200);
            assertThat(status(key)).isEqualTo(200);

            String other = unique("unfenced");
            server.createServiceAccount(other);
            String otherKey = server.createKey(other, "k");
            assertThat(status(otherKey)).isEqualTo(403);
            server.patch("/v1/org", admin(), "{\"credential_policy\":{\"require_network_policy\":false}}").expect(200);
            assertThat(status(otherKey)).isEqualTo(200);
        }

        @Test
        void require_network_policy_applies_at_the_token_endpoint() {
            String sa = unique("tokenfenced");
            server.createServiceAccount(sa);
            JsonNode generated = server.post("/v1/service-accounts/" + sa + "/secret", admin(), "{}").expect(201).json();
            server.patch("/v1/org", admin(), "{\"credential_policy\":{\"require_network_policy\":true}}").expect(200);
            Response token = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + generated.get("client_id").asText()
                    + "&client_secret=" + generated.get("client_secret").asText())).build());
            assertThat(token.status()).isEqualTo(403);
            assertThat(token.json().get("error").asText()).isEqualTo("access_denied");
            assertThat(token.json().get("error_description").asText()).contains("network_policy_required");
        }
    }
}
