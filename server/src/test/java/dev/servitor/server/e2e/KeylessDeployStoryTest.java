// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.testing.TestServer;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.TestDatabases.Engine;
import dev.servitor.testing.TestOidcIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * "A CI job deploys with no stored secret" (the Semaphore seed's CI angle, issue 16): the
 * organization trusts its CI's OIDC issuer, pins a federated credential of its deployer account to
 * one repository and branch, and the job trades the token its CI gave it for an access token,
 * calls the API with it, while a job of another repository is refused. Semaphore's token shape:
 * {@code sub} {@code org:<org>:project:<id>:repo:<repo>:ref_type:branch:ref:<ref>}, claims
 * {@code org}, {@code org_id}, {@code prj_id}, {@code repo}, {@code repo_slug}, {@code ref}, ...
 */
class KeylessDeployStoryTest {
    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String semaphoreToken(TestOidcIssuer ci, String repoSlug, String ref, Instant now) {
        String repo = repoSlug.substring(repoSlug.indexOf('/') + 1);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ci.url()).audience("https://deploy.acme.example")
            .subject("org:acme:project:7f3c:repo:" + repo + ":ref_type:branch:ref:" + ref)
            .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
            .jwtID(UUID.randomUUID().toString()).claim("org", "acme").claim("org_id", "0a1b").claim("prj_id", "7f3c")
            .claim("repo", repo).claim("repo_slug", repoSlug).claim("ref", ref).claim("ref_type", "branch")
            .claim("wf_id", UUID.randomUUID().toString()).claim("ppl_id", UUID.randomUUID().toString())
            .claim("job_id", UUID.randomUUID().toString()).build();
        return TestOidcIssuer.sign(claims, ci.currentKey());
    }

    private static Response exchange(TestServer server, String clientId, String token) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:id_token") + "&subject_token=" + enc(token)
                + "&client_id=" + clientId)).build());
    }

    @Test
    void a_ci_job_deploys_with_no_stored_secret_and_another_repositorys_job_cannot() {
        try (TestOidcIssuer ci = new TestOidcIssuer();
             TestServer server = TestServer.start(Engine.SQLITE,
                 c -> c.withOutbound(new ServitorConfig.Outbound(List.of(), false).withFederationAllowHttp(true)))) {
            String admin = server.adminKey();
            String deployer = server.post("/v1/service-accounts", admin, "{\"name\":\"deployer\"}")
                .expect(201).json().get("id").asText();
            server.post("/v1/federation/issuers", admin, "{\"name\":\"semaphore\",\"issuer_url\":\"" + ci.url() + "\"}").expect(201);
            server.post("/v1/service-accounts/deployer/federated-credentials", admin, "{\"name\":\"api-main\",\"issuer\":\"semaphore\","
                + "\"audience\":\"https://deploy.acme.example\",\"claims\":{\"org\":\"acme\"},"
                + "\"condition\":\"claims.repo_slug == 'acme/api' && claims.ref == 'refs/heads/main'\"}").expect(201);
            // nothing secret exists for this account: no key, no client secret
            assertThat(server.get("/v1/service-accounts/deployer/keys", admin).expect(200).json().get("keys")).isEmpty();

            Response granted = exchange(server, deployer, semaphoreToken(ci, "acme/api", "refs/heads/main", server.clock().instant()));
            String token = granted.expect(200).json().get("access_token").asText();
            JsonNode me = server.get("/v1/whoami", token).expect(200).json();
            assertThat(me.get("principal").get("name").asText()).isEqualTo("deployer");
            assertThat(me.get("credential").get("federation").get("subject").asText())
                .isEqualTo("org:acme:project:7f3c:repo:api:ref_type:branch:ref:refs/heads/main");

            Response otherRepo = exchange(server, deployer, semaphoreToken(ci, "acme/website", "refs/heads/main", server.clock().instant()));
            assertThat(otherRepo.status()).isEqualTo(400);
            assertThat(otherRepo.json().get("error").asText()).isEqualTo("invalid_grant");
            Response featureBranch = exchange(server, deployer, semaphoreToken(ci, "acme/api", "refs/heads/wip", server.clock().instant()));
            assertThat(featureBranch.status()).isEqualTo(400);
            JsonNode denied = server.get("/v1/audit-events?action=federation.exchange", admin).expect(200).json().get("audit_events");
            assertThat(denied.get(0).get("details").get("reason").asText()).isEqualTo("condition_false");
            assertThat(denied.get(1).get("details").get("reason").asText()).isEqualTo("condition_false");
            assertThat(denied.get(2).get("outcome").asText()).isEqualTo("success");
        }
    }
}
