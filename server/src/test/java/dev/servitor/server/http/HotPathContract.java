// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link HotPath} against the Javalin routes it stands in front of: two servers on one Servitor,
 * one with the hot path and one without, get the same requests and must give the same answers
 * (status, headers but Date and Connection, body), whichever path answers. Grouped by the status
 * answered: the hot path answers only 200s itself; everything else is the routes', with the
 * gate's decision the hot path made before reading the body.
 */
abstract class HotPathContract extends ApiContract {
    private static final String FORM = "application/x-www-form-urlencoded";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ApiServer hot;
    private ApiServer plain;
    private String key;
    private String clientId;
    private String clientSecret;

    @Override
    protected dev.servitor.config.ServitorConfig configure(dev.servitor.config.ServitorConfig config) {
        // every test speaks from loopback: its refusals must not add up to the failed-authentication limits (CredentialGateContract tests those)
        return config.withAccess(new dev.servitor.config.ServitorConfig.Access(config.access().instanceSizes(), 10_000, 10_000));
    }

    @BeforeAll
    void startBothPaths() {
        hot = new ApiServer(server.servitor(), true).start("127.0.0.1", 0);
        plain = new ApiServer(server.servitor(), false).start("127.0.0.1", 0);
        String name = unique("hot");
        server.createServiceAccount(name);
        key = server.createKey(name, "k");
        JsonNode secret = server.post("/v1/service-accounts/" + name + "/secret", admin(), null).expect(201).json();
        clientId = secret.get("client_id").asText();
        clientSecret = secret.get("client_secret").asText();
    }

    @AfterAll
    void stopBothPaths() {
        hot.close();
        plain.close();
    }

    /** A verify request as a gateway sends it; {@code body} goes as given. */
    private Function<String, HttpRequest> verify(String authorization, String body) {
        return base -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/verify")).header("Content-Type", "application/json")
                .header("X-Request-Id", "hot-path-test").POST(HttpRequest.BodyPublishers.ofString(body));
            if (authorization != null) b.header("Authorization", authorization);
            return b.build();
        };
    }

    private Function<String, HttpRequest> introspect(String contentType, String authorization, String body) {
        return base -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/oauth/introspect")).header("Content-Type", contentType)
                .header("X-Request-Id", "hot-path-test").POST(HttpRequest.BodyPublishers.ofString(body));
            if (authorization != null) b.header("Authorization", authorization);
            return b.build();
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the request to both servers, asserts the same answer, and returns it. */
    private HttpResponse<String> same(Function<String, HttpRequest> request) throws Exception {
        HttpRequest toHot = request.apply("http://127.0.0.1:" + hot.port());
        HttpResponse<String> viaHot = http.send(toHot, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> viaPlain = http.send(request.apply("http://127.0.0.1:" + plain.port()), HttpResponse.BodyHandlers.ofString());
        String what = toHot.uri().getPath() + " -> " + viaPlain.body();
        assertThat(viaHot.statusCode()).as(what).isEqualTo(viaPlain.statusCode());
        assertThat(viaHot.body()).as(what).isEqualTo(viaPlain.body());
        assertThat(headers(viaHot)).as(what).isEqualTo(headers(viaPlain));
        return viaHot;
    }

    private static Map<String, List<String>> headers(HttpResponse<String> r) {
        Map<String, List<String>> m = new TreeMap<>(r.headers().map());
        m.remove("date");
        // Jetty closes a connection whose request body was never read (the routes refuse some requests
        // before reading it); after the hot path has read it, the connection may stay open.
        m.remove("connection");
        return m;
    }

    /** Asserts that the hot path answered exactly {@code n} of the requests {@code run} sends. */
    private void answeredByHotPath(long n, ThrowingRunnable run) throws Exception {
        long before = hot.hotPathAnswers();
        run.run();
        assertThat(hot.hotPathAnswers() - before).as("answers of the hot path (see its debug log for the others)").isEqualTo(n);
        assertThat(plain.hotPathAnswers()).isZero();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private String token() {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
            .headers("Content-Type", FORM, "Authorization", basic(clientId, clientSecret))
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build()).expect(200).json().get("access_token").asText();
    }

    @Nested
    @DisplayName("200: the ordinary calls, answered by the hot path as the routes answer them")
    class Answered {
        @Test
        void ordinary_verify_calls_are_answered_by_the_hot_path() throws Exception {
            String gateway = "Bearer " + admin();
            answeredByHotPath(6, () -> {
                assertThat(same(verify(gateway, "{\"credential\":\"" + key + "\"}")).body()).contains("\"code\":\"VALID\"");
                same(verify(gateway, "{\"credential\":\"" + key + "\",\"permission\":\"service_accounts:write\"}"));
                same(verify(gateway, "{\"credential\":\"" + key + "\",\"ip\":\"10.1.2.3\",\"permission\":null}"));
                same(verify("Key " + admin(), "{\"credential\":\"" + key + "x\"}"));
                assertThat(same(verify(gateway, "{\"credential\":\"svk_unknown\"}")).body()).contains("NOT_FOUND");
                same(verify(gateway, "  {\"credential\" : \"" + key + "\"}\n"));
            });
        }

        @Test
        void ordinary_introspections_are_answered_by_the_hot_path() throws Exception {
            String token = token();
            answeredByHotPath(1, () -> assertThat(same(introspect(FORM, basic(clientId, clientSecret), "token=" + enc(token))).body())
                .contains("\"active\":true"));
            answeredByHotPath(1, () -> same(introspect(FORM + "; charset=UTF-8", null, "token=" + enc(token) + "&client_id=" + enc(clientId)
                    + "&client_secret=" + enc(clientSecret))));
            answeredByHotPath(1, () -> same(introspect(FORM, "Bearer " + admin(), "token=" + enc(token) + "&token_type_hint=access_token")));
            answeredByHotPath(1, () -> assertThat(same(introspect(FORM, "Bearer " + admin(), "token=" + enc(key))).body())
                .contains("\"token_type\":\"api_key\""));
            answeredByHotPath(1, () -> assertThat(same(introspect(FORM, "Bearer " + admin(), "token=nonsense")).body())
                .isEqualTo("{\"active\":false}"));
            // several spaces after Basic are one separator (docs/api.md)
            answeredByHotPath(1, () -> assertThat(same(introspect(FORM, basic(clientId, clientSecret).replace("Basic ", "Basic   "),
                "token=" + enc(token))).body()).contains("\"active\":true"));
        }

        @Test
        void bodies_the_hot_path_leaves_alone_reach_the_routes_intact() throws Exception {
            String gateway = "Bearer " + admin();
            String padded = "{\"credential\":\"" + key + "\"" + " ".repeat(9000) + "}";
            answeredByHotPath(0, () -> {
                assertThat(same(verify(gateway, padded)).body()).contains("\"code\":\"VALID\"");
                // no Content-Length: sent chunked
                assertThat(same(base -> HttpRequest.newBuilder(URI.create(base + "/v1/verify")).header("Authorization", gateway)
                    .header("X-Request-Id", "hot-path-test").POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(("{\"credential\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8)))).build())
                    .body()).contains("\"code\":\"VALID\"");
            });
        }
    }

    @Nested
    @DisplayName("400 and 422: a malformed body from a caller that may send it, handed to the routes")
    class Malformed {
        @Test
        void a_malformed_verify_body_from_a_gateway_is_refused_the_same_on_both_paths() throws Exception {
            String gateway = "Bearer " + admin();
            answeredByHotPath(0, () -> {
                for (String body : List.of("{", "[]", "{\"unknown\":1}", "{\"credential\":42}", "{}", "{\"credential\":\"x\",\"ip\":\"no\"}",
                    "{\"credential\":\"" + key + "\",\"extra\":1}", "[\"" + key + "\"]", "{\"credential\":")) {
                    assertThat(same(verify(gateway, body)).statusCode()).as(body).isIn(400, 422);
                }
            });
        }

        @Test
        void a_malformed_introspection_is_refused_the_same_on_both_paths() throws Exception {
            String token = token();
            String assertion = "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion=x.y.z";
            answeredByHotPath(0, () -> {
                assertThat(same(introspect(FORM, basic(clientId, clientSecret), "token_type_hint=x")).statusCode()).isEqualTo(400);
                assertThat(same(introspect(FORM, basic(clientId, clientSecret), "token=")).statusCode()).isEqualTo(400);
                assertThat(same(introspect("application/json", basic(clientId, clientSecret), "{\"token\":\"" + token + "\"}")).statusCode())
                    .isEqualTo(400);
                // two ways of authenticating at once
                assertThat(same(introspect(FORM, basic(clientId, clientSecret), "token=t" + assertion)).statusCode()).isEqualTo(400);
            });
        }
    }

    @Nested
    @DisplayName("401: a bad credential, refused before its body is read")
    class Unauthenticated {
        @Test
        void a_bad_credential_is_refused_the_same_on_both_paths_whatever_the_body() throws Exception {
            String unknown = "Bearer " + dev.servitor.crypto.SecretFormat.generate("svt");
            answeredByHotPath(0, () -> {
                for (String body : List.of("{", "[]", "{\"unknown\":1}", "{}", "{\"credential\":\"" + key + "\"}")) {
                    assertThat(same(verify(unknown, body)).statusCode()).as(body).isEqualTo(401);
                    assertThat(same(verify("Bearer " + key + "x", body)).statusCode()).as(body).isEqualTo(401);
                    assertThat(same(verify("Basic " + admin(), body)).statusCode()).as(body).isEqualTo(401);
                    assertThat(same(verify(null, body)).statusCode()).as(body).isEqualTo(401);
                }
            });
        }

        @Test
        void a_bad_client_is_refused_the_same_on_both_paths_whatever_the_form() throws Exception {
            String token = token();
            String assertion = "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion=x.y.z";
            answeredByHotPath(0, () -> {
                for (String body : List.of("token=" + enc(token), "token_type_hint=x", "token=")) {
                    assertThat(same(introspect(FORM, basic(clientId, clientSecret + "x"), body)).statusCode()).as(body).isEqualTo(401);
                    assertThat(same(introspect(FORM, "Basic !!!", body)).statusCode()).as(body).isEqualTo(401);
                    assertThat(same(introspect(FORM, null, body)).statusCode()).as(body).isEqualTo(401);
                    assertThat(same(introspect(FORM, "Bearer " + key + "x", body)).statusCode()).as(body).isEqualTo(401);
                    assertThat(same(introspect(FORM, null, body + assertion)).statusCode()).as(body).isEqualTo(401);
                    assertThat(same(introspect(FORM, null, body + "&client_id=&client_secret=" + enc(clientSecret))).statusCode()).as(body)
                        .isEqualTo(401);
                }
            });
        }
    }

    @Nested
    @DisplayName("403: a caller without verify, whatever it sent")
    class Forbidden {
        @Test
        void a_caller_without_verify_gets_403_whatever_body_it_sends_on_both_paths() throws Exception {
            answeredByHotPath(0, () -> {
                for (String body : List.of("{", "[]", "{\"unknown\":1}", "{\"credential\":42}", "{}", "{\"credential\":\"" + key + "\"}")) {
                    // the account's own key does not hold verify: 403, never the 400 its body deserves
                    assertThat(same(verify("Bearer " + key, body)).statusCode()).as(body).isEqualTo(403);
                }
            });
            // a body the hot path read and then handed on arrives whole: the refusal names the permission
            answeredByHotPath(0, () -> assertThat(same(verify("Bearer " + key, "{\"credential\":\"" + key + "\"}")).body())
                .contains("verify"));
        }
    }
}
