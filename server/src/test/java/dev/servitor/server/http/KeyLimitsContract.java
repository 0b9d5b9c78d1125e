// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits and usage credits of keys (docs/api.md "Per-key restrictions", docs/key-limits.md)
 * over a real server: {@code remaining} on key objects and verify answers, {@code RATE_LIMITED}
 * with {@code retry_after_seconds} and {@code USAGE_EXCEEDED} from {@code /v1/verify}, 429 with
 * {@code Retry-After} and 429 {@code usage_exceeded} from {@code /v1} and forward-auth, the
 * metrics, a refill on the server's clock, and a refused use that spends nothing.
 */
abstract class KeyLimitsContract extends ApiContract {
    private String gatewayKey;

    @Override
    protected dev.servitor.config.ServitorConfig configure(dev.servitor.config.ServitorConfig config) {
        // many refusals from loopback: they must not add up to the failed-authentication limits
        return config.withAccess(new dev.servitor.config.ServitorConfig.Access(config.access().instanceSizes(), 10_000, 10_000));
    }

    @BeforeAll
    void gateway() {
        String role = unique("gateway");
        server.post("/v1/roles", admin(), "{\"name\":\"" + role + "\",\"permissions\":[\"verify\"]}").expect(201);
        String gw = unique("gateway");
        server.post("/v1/service-accounts", admin(), "{\"name\":\"" + gw + "\",\"role\":\"" + role + "\"}").expect(201);
        gatewayKey = server.createKey(gw, "gw");
    }

    /** A new account's key with {@code restrictions}: {key object with "key" the secret, account name}. */
    private JsonNode createKey(String restrictions) {
        String sa = unique("limited");
        server.post("/v1/service-accounts", admin(), "{\"name\":\"" + sa + "\"}").expect(201);
        JsonNode k = server.post("/v1/service-accounts/" + sa + "/keys", admin(),
            "{\"name\":\"k\",\"restrictions\":" + restrictions + "}").expect(201).json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) k).put("account", sa);
        return k;
    }

    private JsonNode verifyAs(String credential, String extra) {
        return server.post("/v1/verify", gatewayKey, "{\"credential\":\"" + credential + "\"" + extra + "}").expect(200).json();
    }

    private Response forwardAuth(String credential) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + ForwardAuth.PATH))
            .header(ForwardAuth.GATEWAY_KEY, gatewayKey).header("Authorization", "Bearer " + credential).GET().build());
    }

    private JsonNode listed(JsonNode key) {
        JsonNode keys = server.get("/v1/service-accounts/" + key.get("account").asText() + "/keys", admin()).expect(200).json().get("keys");
        for (JsonNode k : keys) if (k.get("id").asText().equals(key.get("id").asText())) return k;
        throw new AssertionError("key not listed");
    }

    private double counted(String metric, String code) {
        String scrape = server.get("/metrics", null).expect(200).body();
        return scrape.lines().filter(l -> l.startsWith(metric + "{code=\"" + code + "\"}"))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static void assertProblem(Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("code").asText()).as(r.body()).isEqualTo(code);
    }

    @Test
    void credits_are_counted_down_in_verify_answers_and_key_objects_until_usage_exceeded() {
        JsonNode k = createKey("{\"remaining_uses\":2}");
        String key = k.get("key").asText();
        assertThat(k.get("remaining").asLong()).as("the creation answer").isEqualTo(2);
        double exceededBefore = counted("servitor_verifications_total", "USAGE_EXCEEDED");

        JsonNode first = verifyAs(key, "");
        assertThat(first.get("code").asText()).isEqualTo("VALID");
        assertThat(first.get("remaining").asLong()).isEqualTo(1);
        assertThat(verifyAs(key, "").get("remaining").asLong()).isZero();
        JsonNode third = verifyAs(key, "");
        assertThat(third.get("valid").asBoolean()).isFalse();
        assertThat(third.get("code").asText()).isEqualTo("USAGE_EXCEEDED");
        assertThat(third.get("remaining").asLong()).isZero();
        assertThat(third.has("retry_after_seconds")).isFalse();
        assertThat(listed(k).get("remaining").asLong()).isZero();
        assertThat(counted("servitor_verifications_total", "USAGE_EXCEEDED")).isEqualTo(exceededBefore + 1);

        // on /v1 and forward-auth the key is good but used up: 429 usage_exceeded (no Retry-After), never a 401
        Response spent = server.get("/v1/whoami", key);
        assertProblem(spent, 429, "usage_exceeded");
        assertThat(spent.header("Retry-After")).isNull();
        assertProblem(forwardAuth(key), 429, "usage_exceeded");

        // a PATCH that sends remaining_uses grants them afresh
        JsonNode patched = server.patch("/v1/service-accounts/" + k.get("account").asText() + "/keys/" + k.get("id").asText(), admin(),
            "{\"restrictions\":{\"remaining_uses\":3}}").expect(200).json();
        assertThat(patched.get("remaining").asLong()).isEqualTo(3);
        assertThat(verifyAs(key, "").get("remaining").asLong()).isEqualTo(2);
        // one that changes another member leaves the count alone
        server.patch("/v1/service-accounts/" + k.get("account").asText() + "/keys/" + k.get("id").asText(), admin(),
            "{\"restrictions\":{\"rate_limit\":{\"limit\":100,\"period_seconds\":60}}}").expect(200);
        assertThat(verifyAs(key, "").get("remaining").asLong()).isEqualTo(1);
    }

    @Test
    void a_rate_limited_key_gets_429_with_retry_after_on_v1_and_rate_limited_from_verify() {
        JsonNode k = createKey("{\"rate_limit\":{\"limit\":2,\"period_seconds\":60}}");
        String key = k.get("key").asText();
        assertThat(k.has("remaining")).as("no remaining_uses, no remaining").isFalse();
        double limitedBefore = counted("servitor_authentications_total", "RATE_LIMITED");

        server.get("/v1/whoami", key).expect(200);
        server.get("/v1/whoami", key).expect(200);
        Response third = server.get("/v1/whoami", key);
        assertProblem(third, 429, "rate_limited");
        long retry = Long.parseLong(third.header("Retry-After"));
        assertThat(retry).as("the window of 60 s frees within 66 s").isBetween(1L, 66L);
        assertThat(counted("servitor_authentications_total", "RATE_LIMITED")).isEqualTo(limitedBefore + 1);

        JsonNode refused = verifyAs(key, "");
        assertThat(refused.get("valid").asBoolean()).isFalse();
        assertThat(refused.get("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(refused.get("retry_after_seconds").asLong()).isBetween(1L, retry);
        Response fwd = forwardAuth(key);
        assertProblem(fwd, 429, "rate_limited");
        assertThat(fwd.header("Retry-After")).isNotNull();

        server.clock().advance(Duration.ofSeconds(retry));
        server.get("/v1/whoami", key).expect(200);
    }

    @Test
    void a_use_refused_for_its_permission_or_address_spends_nothing() {
        JsonNode k = createKey("{\"remaining_uses\":1,\"allowed_ips\":[\"10.0.0.0/8\"],\"permissions\":[\"deployments:read\"]}");
        String key = k.get("key").asText();
        assertThat(verifyAs(key, ",\"ip\":\"192.0.2.7\"").get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
        assertThat(verifyAs(key, ",\"ip\":\"10.1.2.3\",\"permission\":\"deployments:write\"").get("code").asText()).isEqualTo("FORBIDDEN");
        JsonNode accepted = verifyAs(key, ",\"ip\":\"10.1.2.3\"");
        assertThat(accepted.get("code").asText()).isEqualTo("VALID");
        assertThat(accepted.get("remaining").asLong()).as("the refused uses spent nothing").isZero();
    }

    @Test
    void a_daily_refill_sets_the_uses_back_on_the_servers_clock() {
        JsonNode k = createKey("{\"remaining_uses\":1,\"refill\":{\"amount\":5,\"interval\":\"day\"}}");
        String key = k.get("key").asText();
        verifyAs(key, "");
        assertThat(verifyAs(key, "").get("code").asText()).isEqualTo("USAGE_EXCEEDED");
        server.clock().advance(Duration.ofDays(1));
        assertThat(listed(k).get("remaining").asLong()).isEqualTo(5);
        assertThat(verifyAs(key, "").get("remaining").asLong()).isEqualTo(4);
    }

    @Test
    void a_rotated_key_takes_over_the_uses_left() {
        JsonNode k = createKey("{\"remaining_uses\":5}");
        verifyAs(k.get("key").asText(), "");
        verifyAs(k.get("key").asText(), "");
        JsonNode successor = server.post("/v1/service-accounts/" + k.get("account").asText() + "/keys/" + k.get("id").asText() + "/rotate",
            admin(), "{}").expect(201).json();
        assertThat(successor.get("remaining").asLong()).isEqualTo(3);
        assertThat(verifyAs(successor.get("key").asText(), "").get("remaining").asLong()).isEqualTo(2);
    }
}
