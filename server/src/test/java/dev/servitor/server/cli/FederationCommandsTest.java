// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.config.ServitorConfig;
import dev.servitor.testing.TestOidcIssuer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code servitor federation issuer …}, {@code sa federate|federations|unfederate} and
 * {@code token --federated-token}: a federation set up from the command line lets a workload
 * exchange its token, with no SERVITOR_TOKEN, against a real server and a real OIDC issuer.
 */
class FederationCommandsTest extends CliTest {
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
        oidc.close();
    }

    private Run ok(String... args) {
        Run r = sv(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private Path file(String content) throws IOException {
        Path p = Files.createTempFile(configDir, "token", ".jwt");
        Files.writeString(p, content);
        return p;
    }

    private String githubToken(String ref) {
        return oidc.sign(oidc.github(AUDIENCE, "acme", "web", ref, server.clock().instant()));
    }

    /** An issuer for the test OIDC issuer and an account federated to acme/web's main branch; answers the account's id. */
    private String federatedAccount(String issuer, String account) {
        ok("federation", "issuer", "create", issuer, "--issuer-url", oidc.url(), "--max-token-age", "600");
        ok("sa", "create", account);
        ok("sa", "federate", account, "--name", "main", "--issuer", issuer, "--audience", AUDIENCE,
            "--subject", "repo:acme/web:ref:refs/heads/main", "--condition", "claims.repository_owner_id == '4242'");
        return ok("sa", "get", account, "-o", "json").json().get("id").asText();
    }

    @Test
    void a_federation_set_up_by_cli_exchanges_a_token_file_with_no_servitor_token() throws IOException {
        String account = unique("deployer");
        String id = federatedAccount(unique("iss"), account);

        Run token = raw("--url", server.url(), "token", "--federated-token", file(githubToken("refs/heads/main") + "\n").toString(),
            "--service-account", id, "-o", "json");
        assertThat(token.exit()).as(token.toString()).isZero();
        assertThat(token.err()).contains("cannot be shown again");
        assertThat(token.json().get("expires_in").asLong()).isPositive();
        JsonNode who = as(token.json().get("access_token").asText(), "whoami", "-o", "json").json();
        assertThat(who.get("principal").get("name").asText()).isEqualTo(account);
        assertThat(who.toString()).contains("repo:acme/web:ref:refs/heads/main");

        Run listed = ok("sa", "federations", account);
        assertThat(listed.rows().get(0)).containsExactly("NAME", "ISSUER", "AUDIENCE", "SUBJECT", "SUBJECT_PREFIX", "CONDITION",
            "LIFETIME", "LAST_USED_AT");
        JsonNode creds = ok("sa", "federations", account, "-o", "json").json();
        assertThat(creds).hasSize(1);
        assertThat(creds.get(0).get("last_used_at").isNull()).as("the exchange recorded its use").isFalse();
    }

    @Test
    void the_token_is_read_from_standard_input_for_a_dash() {
        String id = federatedAccount(unique("iss"), unique("stdin"));
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(githubToken("refs/heads/main").getBytes(StandardCharsets.UTF_8)));
            Run r = raw("--url", server.url(), "token", "--federated-token", "-", "--service-account", id);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.rows().get(0)).containsExactly("TOKEN_TYPE", "EXPIRES_IN", "ACCESS_TOKEN");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void the_account_may_be_named_when_a_credential_is_configured() throws IOException {
        String account = unique("named");
        federatedAccount(unique("iss"), account);
        Path jwt = file(githubToken("refs/heads/main"));
        Run r = ok("token", "--federated-token", jwt.toString(), "--service-account", account, "-o", "json");
        JsonNode who = as(r.json().get("access_token").asText(), "whoami", "-o", "json").json();
        assertThat(who.get("principal").get("name").asText()).isEqualTo(account);
        assertThat(who.toString()).contains("repo:acme/web:ref:refs/heads/main");

        Run unknown = sv("token", "--federated-token", jwt.toString(), "--service-account", "nobody-" + account);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("service_account_not_found");
    }

    @Test
    void a_name_without_a_credential_is_a_usage_error_saying_to_pass_the_id() throws IOException {
        String account = unique("noauth");
        federatedAccount(unique("iss"), account);
        Run r = raw("--url", server.url(), "token", "--federated-token", file(githubToken("refs/heads/main")).toString(),
            "--service-account", account);
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--service-account " + account + " is not an id").contains("pass the account's id");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void a_token_of_another_branch_exits_1_with_invalid_grant_only() throws IOException {
        String id = federatedAccount(unique("iss"), unique("refused"));
        Run r = raw("--url", server.url(), "token", "--federated-token", file(githubToken("refs/heads/feature")).toString(),
            "--service-account", id);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("Error: ").contains("invalid_grant");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void malformed_token_command_lines_exit_2_and_an_unreadable_file_exits_1() {
        Run noAccount = raw("--url", server.url(), "token", "--federated-token", "-");
        assertThat(noAccount.exit()).isEqualTo(2);
        assertThat(noAccount.err()).contains("--federated-token needs --service-account");
        Run both = raw("--url", server.url(), "token", "--federated-token", "-", "--service-account", "sa_x", "--client-id", "sa_x");
        assertThat(both.exit()).isEqualTo(2);
        Run neither = raw("--url", server.url(), "token");
        assertThat(neither.exit()).isEqualTo(2);
        Run missing = raw("--url", server.url(), "token", "--federated-token", configDir.resolve("absent.jwt").toString(),
            "--service-account", "sa_0123456789abcdefghijkl");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read --federated-token");
    }

    @Test
    void an_unpinned_credential_on_a_shared_issuer_exits_1_with_tenant_not_pinned() {
        String issuer = unique("github");
        ok("federation", "issuer", "create", issuer, "--issuer-url", "https://token.actions.githubusercontent.com");
        String account = unique("open");
        ok("sa", "create", account);
        Run r = sv("sa", "federate", account, "--issuer", issuer, "--audience", AUDIENCE);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("422 tenant_not_pinned");
        Run pinned = sv("sa", "federate", account, "--issuer", issuer, "--audience", AUDIENCE, "--claim", "repository_owner_id=4242");
        assertThat(pinned.exit()).as(pinned.toString()).isZero();
        assertThat(ok("sa", "federations", account, "-o", "json").json().get(0).get("name").asText()).isEqualTo(issuer);
    }

    @Test
    void issuers_are_listed_with_where_their_keys_come_from_and_one_in_use_is_not_deleted() throws IOException {
        String discovered = unique("iss");
        String account = unique("inuse");
        federatedAccount(discovered, account);
        String inline = unique("inline");
        ok("federation", "issuer", "create", inline, "--issuer-url", "https://k8s.internal.test",
            "--jwks-file", file(oidc.publicJwks()).toString(), "--require-jti");

        Run table = ok("federation", "issuer", "list");
        assertThat(table.rows().get(0)).containsExactly("NAME", "ISSUER_URL", "KEYS", "MAX_TOKEN_AGE", "REQUIRE_JTI", "CREATED_AT");
        assertThat(table.rows()).anySatisfy(row -> assertThat(row).startsWith(discovered, oidc.url(), "discovery", "600"));
        assertThat(table.rows()).anySatisfy(row -> assertThat(row).startsWith(inline, "https://k8s.internal.test", "inline", "3600", "true"));

        Run inUse = sv("federation", "issuer", "delete", discovered);
        assertThat(inUse.exit()).isEqualTo(1);
        assertThat(inUse.err()).contains("409 issuer_in_use");
        ok("sa", "unfederate", account, "main");
        assertThat(ok("federation", "issuer", "delete", discovered).out()).contains("Deleted federation issuer " + discovered);
        assertThat(ok("federation", "issuer", "list", "-o", "json").json().findValuesAsText("name")).doesNotContain(discovered)
            .contains(inline);
    }

    @Test
    void a_jwks_file_that_is_not_json_is_refused_before_anything_is_sent() throws IOException {
        String name = unique("notjson");
        Run r = sv("federation", "issuer", "create", name, "--issuer-url", "https://k8s.internal.test", "--jwks-file", file("{keys").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("is not JSON");
        assertThat(server.get("/v1/federation/issuers/" + name, admin()).status()).isEqualTo(404);
    }
}
