// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servitor.cli.CliConfig;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.Main;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Fireworks page "Service Accounts" (shared/seeds/002_…), walked with the {@code servitor}
 * command line, Servitor's {@code firectl} (docs/cli.md), run in-process against a real server:
 * create a service account (default role {@code user}), create an API key for it (shown once) and
 * use it, give a role at creation and change it, list with a filter, see that it counts toward
 * the account's quotas and usage, find it in the audit log as
 * {@code my-service-account@my-account.sa.fireworks.ai}, and delete it.
 *
 * <p>Where Servitor deliberately differs from the page (the contract, docs/api.md, wins):
 * <ul>
 *   <li>Service accounts are their own noun, {@code servitor sa create NAME}, not
 *       {@code firectl user create --user-id NAME --service-account}: the contract keeps them apart
 *       from users ("Service accounts never appear in user lists"), so {@code sa list} needs no
 *       {@code service_account=true} filter and does not know that key.</li>
 *   <li>"Service accounts cannot … use OIDC tokens": holds today (a service account has no OIDC
 *       log-in); the contract plans "workload identity federation", where a service account trades
 *       a workload's OIDC token for a short-lived access token (not built yet). The console
 *       log-in refusal holds as written.</li>
 *   <li>The account's quotas and usage have no CLI verb (cli.md lists none); they are read and set
 *       with {@code GET}/{@code PATCH /v1/org}, as the page does them in the web UI.</li>
 * </ul>
 */
class FireworksStoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SA = "my-service-account";
    private static final String SA_EMAIL = "my-service-account@my-account.sa.fireworks.ai";
    private static final String HUMAN_EMAIL = "boss@my-account.example";

    static TestServer server;
    static String savedConfigProperty;
    /** The org-admin key of the Fireworks "account", organization {@code my-account}. */
    static String boss;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(Engine.SQLITE, cfg -> cfg.withIdentity(
            new ServitorConfig.Identity("fireworks.ai", cfg.identity().adminEmail(), cfg.identity().adminToken())));
        // the user's own login config must not leak in
        savedConfigProperty = System.getProperty(CliConfig.PATH_PROPERTY);
        System.setProperty(CliConfig.PATH_PROPERTY,
            Files.createTempDirectory("fireworks-story").resolve("none/config.properties").toString());
        // organizations have no CLI verb: the operator creates the account over REST
        boss = server.post("/v1/orgs", server.adminKey(),
            "{\"name\":\"my-account\",\"admin_username\":\"boss\",\"admin_email\":\"" + HUMAN_EMAIL + "\"}")
            .expect(201).json().get("admin_key").asText();
    }

    @AfterAll
    static void stop() {
        if (savedConfigProperty == null) System.clearProperty(CliConfig.PATH_PROPERTY);
        else System.setProperty(CliConfig.PATH_PROPERTY, savedConfigProperty);
        server.close();
    }

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        Run ok() {
            assertThat(exit).as(toString()).isZero();
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** {@code servitor --url URL [--token TOKEN] ARGS}, in-process. */
    private static Run servitor(String token, String... args) {
        List<String> all = new ArrayList<>(List.of("--url", server.url()));
        if (token != null) all.addAll(List.of("--token", token));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private static JsonNode usage() {
        server.servitor().usage().flush(); // counters are batched off the request path
        return server.get("/v1/org", boss).expect(200).json().get("usage");
    }

    private static JsonNode auditEvents(String... filter) {
        server.servitor().auditLog().flushQueued(); // token grants are audited in batches
        List<String> args = new ArrayList<>(List.of("audit", "list", "-o", "json"));
        args.addAll(List.of(filter));
        return servitor(boss, args.toArray(String[]::new)).ok().json();
    }

    @Test
    void create_key_use_role_list_bill_audit_and_delete_a_service_account_with_the_cli() {
        // "Using our firectl you can create service accounts":
        //   firectl user create --user-id "my-service-account" --service-account
        JsonNode created = servitor(boss, "sa", "create", SA, "-o", "json").ok().json();
        assertThat(created.get("id").asText()).startsWith("sa_");
        // "If not specified, the default service account role is `user`."
        assertThat(created.get("role").asText()).isEqualTo("user");
        assertThat(created.get("email").asText()).isEqualTo(SA_EMAIL);

        // "Service accounts cannot login through the web interface" (the console; whatever it sends)
        assertThat(server.post("/v1/session", null, "{\"username\":\"" + SA + "\",\"password\":\"anything at all\"}").status())
            .isEqualTo(401);

        // "Using firectl you can create an API key on behalf of a service account":
        //   firectl api-key create --service-account "my-service-account"
        Run keyRun = servitor(boss, "key", "create", "--service-account", SA).ok();
        String key = keyRun.out().lines().skip(1).findFirst().orElseThrow().strip().replaceAll(".*\\s", "");
        assertThat(key).matches("svt_[0-9A-Za-z]{49}");
        // shown once: stdout holds it a single time, stderr says so, nothing shows it again
        assertThat(keyRun.out().split(key, -1)).hasSize(2);
        assertThat(keyRun.err()).contains("cannot be shown again").doesNotContain(key);
        for (String format : new String[] {"table", "json", "yaml"}) {
            assertThat(servitor(boss, "key", "list", "--service-account", SA, "-o", format).ok().out()).doesNotContain(key);
            assertThat(servitor(boss, "sa", "get", SA, "-o", format).ok().out()).doesNotContain(key);
        }

        // "Service accounts can take actions using an API key": the key authenticates as the service account
        JsonNode who = servitor(key, "whoami", "-o", "json").ok().json();
        assertThat(who.get("principal").get("type").asText()).isEqualTo("service_account");
        assertThat(who.get("principal").get("name").asText()).isEqualTo(SA);
        assertThat(who.get("principal").get("email").asText()).isEqualTo(SA_EMAIL);
        assertThat(who.get("credential").get("kind").asText()).isEqualTo("api_key");
        assertThat(who.get("permissions")).extracting(JsonNode::asText).contains("*:read", "*:write");

        // "You can assign a role when creating a service account using the `--role` flag":
        //   firectl user create --user-id "my-service-account" --service-account --role=contributor
        // (the page reuses the name; a second account here, since the first one exists)
        JsonNode contributor = servitor(boss, "sa", "create", "ci-deployer", "--role=contributor", "-o", "json").ok().json();
        assertThat(contributor.get("role").asText()).isEqualTo("contributor");

        // "To change the role of an existing service account, use the update command":
        //   firectl user update my-service-account --role=inference-user
        JsonNode updated = servitor(boss, "sa", "update", SA, "--role=inference-user", "-o", "json").ok().json();
        assertThat(updated.get("role").asText()).isEqualTo("inference-user");
        // the very next request of its key acts with the new role
        assertThat(servitor(key, "whoami", "-o", "json").ok().json().get("permissions")).extracting(JsonNode::asText)
            .containsExactlyInAnyOrder("inference:*", "models:read");

        // "To list all service accounts in your account":
        //   firectl user list --filter 'service_account=true'
        // `sa list` lists service accounts only, so the page's filter key is not one Servitor knows (a usage error)
        assertThat(servitor(boss, "sa", "list").ok().out()).contains(SA).contains("ci-deployer");
        assertThat(servitor(boss, "sa", "list", "-o", "json").ok().json().findValuesAsText("name"))
            .containsExactlyInAnyOrder(SA, "ci-deployer");
        assertThat(servitor(boss, "sa", "list", "--filter", "service_account=true").exit()).isEqualTo(2);
        assertThat(servitor(boss, "sa", "list", "--filter", "role=contributor", "-o", "json").ok().json().findValuesAsText("name"))
            .containsExactly("ci-deployer");
        assertThat(servitor(boss, "sa", "list", "--filter", "role=inference-user,disabled=false", "-o", "json").ok().json()
            .findValuesAsText("name")).containsExactly(SA);
        // ...and the users list is humans only
        assertThat(servitor(boss, "user", "list", "-o", "json").ok().out()).contains("boss").doesNotContain(SA).doesNotContain("ci-deployer");

        // "Service accounts count toward the same account quotas and limits assigned to the account"
        JsonNode before = usage();
        assertThat(before.get("service_accounts").asLong()).isEqualTo(2);
        assertThat(before.get("users").asLong()).isEqualTo(1);
        // a human's key and a service account's key count in the same live keys of the account
        servitor(boss, "key", "create", "--user", "boss", "--name", "laptop").ok();
        servitor(boss, "key", "create", "--service-account", "ci-deployer", "--name", "deploy").ok();
        assertThat(usage().get("live_keys").asLong()).isEqualTo(before.get("live_keys").asLong() + 2);
        // the account's quota on service accounts stops the next one
        server.patch("/v1/org", boss, "{\"quotas\":{\"max_service_accounts\":2}}").expect(200);
        Run overQuota = servitor(boss, "sa", "create", "one-too-many");
        assertThat(overQuota.exit()).isEqualTo(1);
        assertThat(overQuota.err()).contains("409").contains("quota");
        assertThat(servitor(boss, "sa", "get", "one-too-many").exit()).isEqualTo(1);

        // "Usage is tracked by the account, not individual user vs service account":
        // the service account's token grant is counted on the account
        long grantsBefore = usage().get("token_grants_this_month").asLong();
        JsonNode secret = servitor(boss, "secret", "generate", SA, "-o", "json").ok().json();
        Run token = servitor(null, "token", "--client-id", secret.get("client_id").asText(),
            "--client-secret", secret.get("client_secret").asText(), "-o", "json").ok();
        assertThat(token.json().get("access_token").asText()).isNotBlank();
        assertThat(usage().get("token_grants_this_month").asLong()).isEqualTo(grantsBefore + 1);

        // "In audit logs users are referenced by their email id's."
        JsonNode creations = auditEvents("--action", "service_account.create");
        assertThat(creations.findValuesAsText("actor")).containsOnly(HUMAN_EMAIL);
        // "Service accounts are referenced by `my-service-account@my-account.sa.fireworks.ai`":
        // what the service account did (its token grant), and what it was refused, name it so
        Run refused = servitor(key, "sa", "list");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("403");
        JsonNode byTheAccount = auditEvents("--actor", SA_EMAIL);
        assertThat(byTheAccount.findValuesAsText("actor")).containsOnly(SA_EMAIL);
        assertThat(byTheAccount).anySatisfy(e -> {
            assertThat(e.get("action").asText()).isEqualTo("token.issue");
            assertThat(e.get("outcome").asText()).isEqualTo("success");
        });
        assertThat(byTheAccount).anySatisfy(e -> {
            assertThat(e.get("action").asText()).isEqualTo("service_account.list");
            assertThat(e.get("outcome").asText()).isEqualTo("denied");
        });
        // ...and what humans did to it names the human
        assertThat(auditEvents("--actor", HUMAN_EMAIL).findValuesAsText("action"))
            .contains("service_account.create", "service_account.update", "key.create");

        // Deleting it (the page's web UI does it; `servitor sa delete`): its key stops at once
        servitor(boss, "sa", "delete", SA).ok();
        assertThat(servitor(boss, "sa", "get", SA).exit()).isEqualTo(1);
        Run gone = servitor(key, "whoami");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("401");
        assertThat(auditEvents("--action", "service_account.delete").findValuesAsText("actor")).containsExactly(HUMAN_EMAIL);
        assertThat(usage().get("service_accounts").asLong()).isEqualTo(1);
    }
}
