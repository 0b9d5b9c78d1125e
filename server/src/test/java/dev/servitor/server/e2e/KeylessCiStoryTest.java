// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.servitor.server.testing.TestServer;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.TestDatabases.Engine;
import dev.servitor.testing.TestOidcIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "A CI job deploys with no stored secret": the Semaphore seed (shared/seeds/003_…) hands a
 * service account a token shown once that the CI job must keep; here the CI job keeps nothing.
 * The organization trusts its Semaphore OIDC issuer (a real one, in-process, signing tokens with
 * Semaphore's claims), pins one project and the main branch, and the job trades its
 * {@code SEMAPHORE_OIDC_TOKEN} for a short-lived access token and calls the API. A token of
 * another project, another branch or a debug session is refused, as is a replayed one.
 */
class KeylessCiStoryTest {
    static final String ORG_ID = "d7dd33ad-9317-498c-9cc6-51c250749be7";
    static final String WEB_PROJECT = "1e1fcfb5-09c0-487e-b051-2d0b5514c42a";
    static final String OTHER_PROJECT = "936a5312-a3b8-4921-8b3f-2cec8baac574";
    static TestServer server;
    static TestOidcIssuer semaphore;

    @BeforeAll
    static void start() {
        semaphore = new TestOidcIssuer();
        server = TestServer.start(Engine.SQLITE, c -> c.withOutbound(c.outbound().withFederationAllowHttp(true)));
    }

    @AfterAll
    static void stop() {
        server.close();
        semaphore.close();
    }

    /** The claims of a SEMAPHORE_OIDC_TOKEN (Semaphore's OIDC reference): its aud is the organization's URL, as its iss. */
    static JWTClaimsSet.Builder semaphoreJob(String projectId, String project, String branch, String jobType, Instant now) {
        String ref = "refs/heads/" + branch;
        return new JWTClaimsSet.Builder().issuer(semaphore.url()).audience(semaphore.url())
            .subject("org:acme:project:" + projectId + ":repo:" + project + ":ref_type:branch:ref:" + ref)
            .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
            .jwtID(UUID.randomUUID().toString())
            .claim("org", "acme").claim("org_id", ORG_ID).claim("prj", project).claim("prj_id", projectId)
            .claim("repo", project).claim("repo_slug", "acme/" + project).claim("branch", branch).claim("ref", ref)
            .claim("ref_type", "branch").claim("pr_branch", "").claim("pr", "").claim("tag", "")
            .claim("wf_id", UUID.randomUUID().toString()).claim("ppl_id", UUID.randomUUID().toString())
            .claim("job_id", UUID.randomUUID().toString()).claim("job_type", jobType).claim("trg", "h:f-i:f");
    }

    /** What the job runs: the RFC 8693 exchange of its OIDC token, with the account's id and no secret. */
    static Response exchange(String clientId, String jwt) {
        String form = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
            + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:jwt")
            + "&subject_token=" + enc(jwt) + "&client_id=" + enc(clientId);
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void assertRefused(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(r.body()).doesNotContain("project").doesNotContain("branch").doesNotContain("replay"); // the reason is for the audit log only
    }

    @Test
    void a_ci_job_deploys_with_no_stored_secret_and_only_the_pinned_project_and_branch_get_in() {
        String admin = server.adminKey();

        // The platform's admin: a deploy account with no key and no client secret at all.
        JsonNode account = server.post("/v1/service-accounts", admin,
            "{\"name\":\"deploy-bot\",\"description\":\"Deploys web from Semaphore\",\"role\":\"contributor\"}").expect(201).json();
        String clientId = account.get("id").asText();

        // Trust the organization's Semaphore issuer; each job's token may be exchanged once.
        server.post("/v1/federation/issuers", admin,
            "{\"name\":\"semaphore\",\"issuer_url\":\"" + semaphore.url() + "\",\"require_jti\":true}").expect(201);
        // Pin the tenant and the project by id, the main branch, and real pipeline jobs.
        JsonNode credential = server.post("/v1/service-accounts/deploy-bot/federated-credentials", admin,
            "{\"name\":\"web-main\",\"issuer\":\"semaphore\",\"audience\":\"" + semaphore.url() + "\","
                + "\"subject_prefix\":\"org:acme:project:" + WEB_PROJECT + ":\","
                + "\"claims\":{\"org_id\":\"" + ORG_ID + "\",\"prj_id\":\"" + WEB_PROJECT + "\"},"
                + "\"condition\":\"claims.ref == 'refs/heads/main' && claims.job_type == 'pipeline_job'\","
                + "\"token_lifetime_seconds\":600}").expect(201).json();
        assertThat(credential.get("last_used_at").isNull()).isTrue();

        // The CI job of web on main: SEMAPHORE_OIDC_TOKEN in, an access token out.
        Instant now = server.clock().instant();
        String jobToken = semaphore.sign(semaphoreJob(WEB_PROJECT, "web", "main", "pipeline_job", now));
        Response exchanged = exchange(clientId, jobToken);
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        assertThat(exchanged.header("Cache-Control")).contains("no-store");
        assertThat(exchanged.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(exchanged.json().get("expires_in").asLong()).isEqualTo(600);
        String accessToken = exchanged.json().get("access_token").asText();

        // The job calls the API as deploy-bot, and the token says where it came from.
        JsonNode me = server.get("/v1/whoami", accessToken).expect(200).json();
        assertThat(me.get("principal").get("name").asText()).isEqualTo("deploy-bot");
        JsonNode fed = me.get("credential").get("federation");
        assertThat(fed.get("issuer").asText()).isEqualTo("semaphore");
        assertThat(fed.get("subject").asText()).isEqualTo("org:acme:project:" + WEB_PROJECT + ":repo:web:ref_type:branch:ref:refs/heads/main");
        assertThat(fed.get("credential").asText()).isEqualTo("web-main");

        // Nothing was stored that could leak: no key, no client secret; the credential records its use.
        assertThat(server.get("/v1/service-accounts/deploy-bot/keys", admin).expect(200).json().get("keys")).isEmpty();
        assertThat(server.get("/v1/service-accounts/deploy-bot/federated-credentials/web-main", admin).expect(200).json()
            .get("last_used_at").isNull()).isFalse();

        // Refused, each with the same answer: the same job token again (it is accepted once) ...
        assertRefused(exchange(clientId, jobToken));
        // ... a job of another project of the same Semaphore organization ...
        assertRefused(exchange(clientId, semaphore.sign(semaphoreJob(OTHER_PROJECT, "billing", "main", "pipeline_job", now))));
        // ... a job of web on a feature branch ...
        assertRefused(exchange(clientId, semaphore.sign(semaphoreJob(WEB_PROJECT, "web", "feature-x", "pipeline_job", now))));
        // ... and an interactive `sem debug` session on main.
        assertRefused(exchange(clientId, semaphore.sign(semaphoreJob(WEB_PROJECT, "web", "main", "debug_job", now))));

        // The admin reads why in the audit log, and never a token.
        // (a success is audited as a grant is, off the request path: wait for it to be written)
        JsonNode events = null;
        List<String> outcomes = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (long deadline = System.nanoTime() + 10_000_000_000L; !outcomes.contains("success") && System.nanoTime() < deadline; ) {
            events = server.get("/v1/audit-events?action=federation.exchange", admin).expect(200).json();
            outcomes.clear();
            reasons.clear();
            for (JsonNode e : events.get("audit_events")) {
                outcomes.add(e.get("outcome").asText());
                if (e.get("details").has("reason")) reasons.add(e.get("details").get("reason").asText());
            }
        }
        assertThat(outcomes).containsOnly("success", "denied").filteredOn("success"::equals).hasSize(1);
        // another project fails the subject prefix; a feature branch and a debug job fail the condition
        assertThat(reasons).containsExactlyInAnyOrder("jti_replayed", "subject_mismatch", "condition_false", "condition_false");
        assertThat(events.toString()).doesNotContain(jobToken).doesNotContain(accessToken);
    }
}
