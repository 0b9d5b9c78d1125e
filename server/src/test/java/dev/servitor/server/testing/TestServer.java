// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servitor.Servitor;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.http.ApiServer;
import dev.servitor.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;

/**
 * A real Servitor on a loopback port (port 0) over a real database, with a hand-moved clock.
 * Share one per test class: {@code static TestServer server = TestServer.start(Engine.SQLITE)}.
 */
public final class TestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Servitor servitor;
    private final ApiServer api;
    private final TestClock clock;
    private final String adminKey;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final ServitorConfig config;

    private TestServer(ServitorConfig config, String adminKey) {
        this.config = config;
        this.clock = TestClock.now();
        this.servitor = Servitor.start(config, clock);
        this.adminKey = adminKey != null ? adminKey : servitor.generatedAdminKey().orElseThrow();
        this.api = new ApiServer(servitor).start("127.0.0.1", 0);
    }

    private TestServer(ServitorConfig config) {
        this(config, null);
    }

    /** A second node on this one's database (PostgreSQL: a cluster of two), with the same configuration and admin key. */
    public TestServer anotherNode() {
        return new TestServer(config, adminKey);
    }

    public static TestServer start(TestDatabases.Engine engine) {
        return start(engine, UnaryOperator.identity());
    }

    public static TestServer start(TestDatabases.Engine engine, UnaryOperator<ServitorConfig> customize) {
        ServitorConfig config = ServitorConfig.defaults().withStorage(TestDatabases.fresh(engine));
        return new TestServer(customize.apply(config));
    }

    public String url() { return "http://127.0.0.1:" + api.port(); }
    public int metricsPort() { return api.metricsPort(); }
    public String adminKey() { return adminKey; }
    public TestClock clock() { return clock; }
    public Servitor servitor() { return servitor; }
    public java.util.List<ApiServer.Route> routes() { return api.routes(); }

    /** Sends a request with {@code Authorization: Bearer <key>} (no header when key is null) and a JSON body (or none). */
    public Response call(String method, String path, String key, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
            .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (key != null) b.header("Authorization", "Bearer " + key);
        if (jsonBody != null) b.header("Content-Type", "application/json");
        return send(b.build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path, String key) { return call("GET", path, key, null); }
    public Response post(String path, String key, String body) { return call("POST", path, key, body); }
    public Response patch(String path, String key, String body) { return call("PATCH", path, key, body); }
    public Response delete(String path, String key) { return call("DELETE", path, key, null); }

    /** Creates a service account as admin and returns its JSON. */
    public JsonNode createServiceAccount(String name) {
        return post("/v1/service-accounts", adminKey, "{\"name\":\"" + name + "\"}").expect(201).json();
    }

    /** Mints a key for a service account as admin and returns the secret. */
    public String createKey(String serviceAccount, String keyName) {
        return post("/v1/service-accounts/" + serviceAccount + "/keys", adminKey, "{\"name\":\"" + keyName + "\"}")
            .expect(201).json().get("key").asText();
    }

    @Override
    public void close() {
        api.close();
        servitor.close();
    }

    /** A response, with its body parsed on demand. */
    public record Response(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public Response expect(int expected) {
            if (status != expected) throw new AssertionError("expected " + expected + " but got " + status + ": " + body);
            return this;
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }
}
