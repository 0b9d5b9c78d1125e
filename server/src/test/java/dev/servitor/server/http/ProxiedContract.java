// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.testing.TestServer;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.TestDatabases.Engine;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of contracts that need client addresses other than loopback: one real server per class
 * that trusts the loopback addresses as proxies, so a test speaks "from" any address by
 * sending {@code X-Forwarded-For}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProxiedContract {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    protected TestServer server;

    protected abstract Engine engine();

    /** Further settings of the class's server. */
    protected ServitorConfig configure(ServitorConfig config) {
        return config;
    }

    @BeforeAll
    void startServer() {
        UnaryOperator<ServitorConfig> trustLoopback = cfg -> configure(cfg.withHttp(
            new ServitorConfig.Http(cfg.http().host(), cfg.http().port(), cfg.http().publicUrl(), List.of("127.0.0.1", "::1"))));
        server = TestServer.start(engine(), trustLoopback);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    protected String admin() {
        return server.adminKey();
    }

    protected static String unique(String base) {
        return base + "-" + COUNTER.incrementAndGet();
    }

    /** A JSON call with {@code Authorization: Bearer key} as if from {@code from} (null: the loopback peer itself). */
    protected Response call(String method, String path, String key, String json, String from) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
            .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (key != null) b.header("Authorization", "Bearer " + key);
        if (json != null) b.header("Content-Type", "application/json");
        if (from != null) b.header("X-Forwarded-For", from);
        return server.send(b.build());
    }

    protected Response whoami(String key, String from) {
        return call("GET", "/v1/whoami", key, null, from);
    }

    /** A client_credentials grant with HTTP Basic, as if from {@code from}. */
    protected Response token(String clientId, String secret, String from) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
        if (from != null) b.header("X-Forwarded-For", from);
        return server.send(b.build());
    }

    protected record Client(String name, String id, String secret) {}

    /** A new service account with a client secret. */
    protected Client client(String base) {
        String name = unique(base);
        server.createServiceAccount(name);
        JsonNode s = server.post("/v1/service-accounts/" + name + "/secret", admin(), null).expect(201).json();
        return new Client(name, s.get("client_id").asText(), s.get("client_secret").asText());
    }

    protected static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    protected static String json(List<String> entries) {
        return entries.stream().map(e -> "\"" + e + "\"").reduce((a, b) -> a + "," + b).map(s -> "[" + s + "]").orElse("[]");
    }

    /** Creates a policy as admin and returns its name. */
    protected String policy(List<String> allowed, List<String> blocked) {
        String name = unique("np");
        server.post("/v1/network-policies", admin(), "{\"name\":\"" + name + "\",\"allowed_ips\":" + json(allowed)
            + ",\"blocked_ips\":" + json(blocked) + "}").expect(201);
        return name;
    }

    protected static void assertProblem(Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo(code);
    }
}
