// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servitor.Servitor;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.http.ApiServer;
import dev.servitor.server.testing.TestClock;
import dev.servitor.testing.TestDatabases;
import dev.servitor.testing.TestOidcIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code jti} accepted once is accepted once cluster-wide: two nodes on one PostgreSQL
 * database, the token exchanged on one and replayed on the other.
 */
class FederationTwoNodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String url, String key, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void a_jti_exchanged_on_one_node_is_refused_on_the_other() throws Exception {
        ServitorConfig config = ServitorConfig.defaults().withStorage(TestDatabases.postgres())
            .withOutbound(new ServitorConfig.Outbound(List.of(), false).withFederationAllowHttp(true));
        TestClock clock = TestClock.now();
        try (TestOidcIssuer oidc = new TestOidcIssuer(); Servitor a = Servitor.start(config, clock); Servitor b = Servitor.start(config, clock)) {
            ApiServer apiA = new ApiServer(a).start("127.0.0.1", 0);
            ApiServer apiB = new ApiServer(b).start("127.0.0.1", 0);
            try {
                String nodeA = "http://127.0.0.1:" + apiA.port();
                String nodeB = "http://127.0.0.1:" + apiB.port();
                String admin = a.generatedAdminKey().orElseThrow();
                String saId = JSON.readTree(send(nodeA + "/v1/service-accounts", admin, "application/json", "{\"name\":\"deployer\"}").body())
                    .get("id").asText();
                assertThat(send(nodeA + "/v1/federation/issuers", admin, "application/json", "{\"name\":\"ci\",\"issuer_url\":\""
                    + oidc.url() + "\",\"require_jti\":true}").statusCode()).isEqualTo(201);
                assertThat(send(nodeA + "/v1/service-accounts/deployer/federated-credentials", admin, "application/json",
                    "{\"name\":\"main\",\"issuer\":\"ci\",\"audience\":\"deploy\",\"subject_prefix\":\"repo:acme/\"}").statusCode())
                    .isEqualTo(201);

                String token = oidc.sign(oidc.github("deploy", "acme", "app", "refs/heads/main", clock.instant()));
                String form = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&assertion=" + enc(token)
                    + "&client_id=" + saId;
                assertThat(send(nodeA + "/oauth/token", null, "application/x-www-form-urlencoded", form).statusCode()).isEqualTo(200);
                HttpResponse<String> replay = send(nodeB + "/oauth/token", null, "application/x-www-form-urlencoded", form);
                assertThat(replay.statusCode()).isEqualTo(400);
                assertThat(JSON.readTree(replay.body()).get("error").asText()).isEqualTo("invalid_grant");

                JsonNode events = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(nodeB
                    + "/v1/audit-events?action=federation.exchange")).header("Authorization", "Bearer " + admin).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("audit_events");
                assertThat(events.get(0).get("outcome").asText()).isEqualTo("denied");
                assertThat(events.get(0).get("details").get("reason").asText()).isEqualTo("jti_replayed");
            } finally {
                apiA.close();
                apiB.close();
            }
        }
    }
}
