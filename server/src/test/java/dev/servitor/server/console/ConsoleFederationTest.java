// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestOidcIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Federation issuers page and the "Workload identities" section of an account's page,
 * through headless Chromium: a federation set up in the console lets a workload exchange a
 * token of a real OIDC issuer, exactly as one set up through REST, SQL or the CLI.
 */
class ConsoleFederationTest extends AdminPagesTestBase {
    private static final String AUDIENCE = "https://servitor.test";
    private TestOidcIssuer oidc;

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        return config.withOutbound(config.outbound().withFederationAllowHttp(true)); // the test issuer is http on loopback
    }

    @BeforeAll
    void startIssuer() {
        oidc = new TestOidcIssuer();
    }

    @AfterAll
    void stopIssuer() {
        if (oidc != null) oidc.close();
    }

    private TestServer.Response exchange(String clientId, String jwt) {
        String form = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
            + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:jwt") + "&subject_token=" + enc(jwt)
            + "&client_id=" + enc(clientId);
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String mainToken() {
        return oidc.sign(oidc.github(AUDIENCE, "acme", "web", "refs/heads/main", server.clock().instant()));
    }

    /** Creates an issuer for the test OIDC issuer on the Federation page. */
    private void createIssuerInTheConsole(String name) {
        open("#/federation", "Federation issuers");
        WebElement form = openCreateForm("new-issuer", "New issuer");
        type(form, "name", name);
        type(form, "issuer_url", oidc.url());
        type(form, "max_token_age_seconds", "600");
        submit(form);
        waitForNotice("Issuer " + name + " created.");
        WebElement row = rowWhere(0, name);
        assertThat(row.getText()).contains(oidc.url()).contains("From discovery").contains("600 s");
    }

    private WebElement workloadSection(String account) {
        go("#/accounts");
        waitForHeading("Service accounts");
        go("#/accounts/" + account);
        waitForHeading(account);
        return waitFor(By.cssSelector("#workload-identities table, #workload-identities .empty")).findElement(By.xpath("ancestor::section"));
    }

    @Test
    void a_federation_set_up_in_the_console_exchanges_a_token_and_shows_when_it_was_used() {
        String issuer = unique("gha");
        createIssuerInTheConsole(issuer);
        assertEveryControlIsLabelled();
        String account = unique("deployer");
        String id = api().post("/v1/service-accounts", Map.of("name", account)).get("id").asText();

        loginAsAdmin();
        WebElement section = workloadSection(account);
        assertThat(section.getText()).contains("accepts no workload identity");
        clickButton(section, "Add workload identity");
        WebElement form = form("Add workload identity");
        assertEveryControlIsLabelled();
        type(form, "name", "main");
        select(form, "issuer", issuer);
        type(form, "audience", AUDIENCE);
        type(form, "subject", "repo:acme/web:ref:refs/heads/main");
        type(form, "condition", "claims.repository_owner_id == '4242'");
        submit(form);
        waitForNotice("Workload identity main added to " + account + ".");
        WebElement row = rowWhere(0, "main");
        assertThat(row.getText()).contains(issuer).contains(AUDIENCE).contains("repo:acme/web:ref:refs/heads/main")
            .contains("claims.repository_owner_id == '4242'").contains("Never");

        JsonNode rest = api().get("/v1/service-accounts/" + account + "/federated-credentials/main");
        assertThat(rest.get("issuer").asText()).isEqualTo(issuer);
        assertThat(rest.get("condition").asText()).isEqualTo("claims.repository_owner_id == '4242'");

        TestServer.Response r = exchange(id, mainToken());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode me = server.get("/v1/whoami", r.json().get("access_token").asText()).expect(200).json();
        assertThat(me.get("principal").get("name").asText()).isEqualTo(account);

        workloadSection(account);
        assertThat(rowWhere(0, "main").getText()).doesNotContain("Never");
    }

    @Test
    void the_github_actions_snippet_is_copy_ready_with_the_account_id_and_audience() {
        String issuer = unique("gha");
        api().post("/v1/federation/issuers", Map.of("name", issuer, "issuer_url", oidc.url()));
        String account = unique("snippet");
        String id = api().post("/v1/service-accounts", Map.of("name", account)).get("id").asText();
        api().post("/v1/service-accounts/" + account + "/federated-credentials",
            Map.of("name", "main", "issuer", issuer, "audience", AUDIENCE, "subject", "repo:acme/web:ref:refs/heads/main"));

        loginAsAdmin();
        workloadSection(account);
        WebElement snippet = waitFor(By.id("github-actions-snippet"));
        snippet.findElement(By.tagName("summary")).click();
        String step = waitFor(By.id("github-actions-step")).getText();
        assertThat(step).contains("id-token: write").contains("SERVITOR_CLIENT_ID: " + id).contains("SERVITOR_AUDIENCE: " + AUDIENCE)
            .contains("ACTIONS_ID_TOKEN_REQUEST_URL&audience=").contains("urn:ietf:params:oauth:grant-type:token-exchange")
            .contains("SERVITOR_URL: " + server.url());
        screenshot("workload-identities");
    }

    @Test
    void refusals_are_shown_in_the_form_and_removing_the_identity_stops_the_exchange() {
        String shared = unique("github");
        api().post("/v1/federation/issuers", Map.of("name", shared, "issuer_url", "https://token.actions.githubusercontent.com"));
        String local = unique("local");
        api().post("/v1/federation/issuers", Map.of("name", local, "issuer_url", oidc.url()));
        String account = unique("refusals");
        String id = api().post("/v1/service-accounts", Map.of("name", account)).get("id").asText();

        loginAsAdmin();
        WebElement section = workloadSection(account);
        clickButton(section, "Add workload identity");
        WebElement form = form("Add workload identity");
        type(form, "name", "open");
        select(form, "issuer", shared);
        type(form, "audience", AUDIENCE);
        submit(form);
        assertThat(fieldError(form, "subject")).contains("signs tokens for every customer").contains("pin yours");

        select(form, "issuer", local);
        type(form, "condition", "claims.ref == ");
        submit(form);
        assertThat(fieldError(form, "condition")).isNotBlank();

        type(form, "condition", "claims.ref == 'refs/heads/main'");
        submit(form);
        waitForNotice("Workload identity open added");
        assertThat(exchange(id, mainToken()).status()).isEqualTo(200);

        clickButton(rowWhere(0, "open"), "Remove");
        confirm("Remove");
        waitForNotice("Workload identity open removed.");
        TestServer.Response after = exchange(id, mainToken());
        assertThat(after.status()).isEqualTo(400);
        assertThat(after.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void an_issuer_in_use_is_not_deleted_and_an_unused_one_is() {
        String issuer = unique("inuse");
        createIssuerInTheConsole(issuer);
        String account = unique("user-of");
        api().post("/v1/service-accounts", Map.of("name", account));
        api().post("/v1/service-accounts/" + account + "/federated-credentials",
            Map.of("name", "w", "issuer", issuer, "audience", AUDIENCE, "subject", "s"));

        go("#/federation");
        waitForHeading("Federation issuers");
        clickButton(rowWhere(0, issuer), "Delete");
        confirm("Delete issuer");
        assertThat(pageError()).contains("federated credential");
        assertThat(api().status("/v1/federation/issuers/" + issuer)).isEqualTo(200);

        server.delete("/v1/service-accounts/" + account + "/federated-credentials/w", server.adminKey()).expect(204);
        go("#/accounts");
        go("#/federation");
        waitForHeading("Federation issuers");
        clickButton(rowWhere(0, issuer), "Delete");
        confirm("Delete issuer");
        waitForNotice("Issuer " + issuer + " deleted.");
        waitNoRow(issuer);
        assertThat(api().status("/v1/federation/issuers/" + issuer)).isEqualTo(404);
    }
}
