// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.config.ServitorConfig;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.TestDatabases.Engine;
import dev.servitor.testing.TestOidcIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Refused workload tokens count against the failed-authentication limits, as wrong client secrets do. */
class FederationLimitsTest extends ApiContract {
    @Override
    protected Engine engine() {
        return Engine.SQLITE;
    }

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        // the default limits (20 per address, 10 per client id and address per minute)
        return config.withOutbound(new ServitorConfig.Outbound(List.of(), false).withFederationAllowHttp(true));
    }

    private Response exchange(String clientId, String token) {
        String body = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&assertion=" + enc(token) + "&client_id=" + clientId;
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void repeated_refusals_for_one_client_are_answered_429_with_retry_after() {
        try (TestOidcIssuer oidc = new TestOidcIssuer()) {
            String id = server.createServiceAccount("limited").get("id").asText();
            server.post("/v1/federation/issuers", admin(), "{\"name\":\"ci\",\"issuer_url\":\"" + oidc.url() + "\"}").expect(201);
            server.post("/v1/service-accounts/limited/federated-credentials", admin(),
                "{\"name\":\"main\",\"issuer\":\"ci\",\"audience\":\"deploy\",\"subject_prefix\":\"repo:acme/\"}").expect(201);
            int refused = 0;
            Response r = null;
            for (int i = 0; i < 15; i++) {
                r = exchange(id, oidc.badSignature(oidc.github("deploy", "acme", "app", "refs/heads/main", server.clock().instant())));
                if (r.status() != 400) break;
                refused++;
            }
            assertThat(refused).isBetween(9, 10);
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isNotNull();
            // this address is now held back for this client before any check, even with a good token
            assertThat(exchange(id, oidc.sign(oidc.github("deploy", "acme", "app", "refs/heads/main", server.clock().instant()))).status())
                .isEqualTo(429);
        }
    }
}
