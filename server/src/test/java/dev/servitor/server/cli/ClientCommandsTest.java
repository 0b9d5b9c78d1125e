// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.cli.CliConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** whoami, audit, login, completion, the verbs whose endpoints land later, and the exit codes of malformed lines. */
class ClientCommandsTest extends CliTest {

    @Nested
    class Whoami {
        @Test
        void shows_the_principal_behind_the_credential() {
            Run r = sv("whoami");
            assertThat(r.exit()).isZero();
            assertThat(r.rows().get(0)).startsWith("NAME", "TYPE", "EMAIL", "ORG");
            assertThat(r.rows().get(1)).startsWith("admin", "user");
            JsonNode json = sv("whoami", "-o", "json").json();
            assertThat(json.get("credential").get("kind").asText()).isEqualTo("api_key");
            assertThat(json.get("permissions").isArray()).isTrue();
        }

        @Test
        void a_bad_credential_exits_1_with_the_401_detail() {
            Run r = as("svt_notavalidkey", "whoami");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("Error: ").contains("401");
        }

        @Test
        void no_credential_at_all_exits_1_with_a_hint() {
            Run r = raw("--url", server.url(), "whoami");
            assumeTrue(System.getenv("SERVITOR_TOKEN") == null, "SERVITOR_TOKEN is set in this environment");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("servitor login");
        }

        @Test
        void an_unreachable_server_exits_1() {
            Run r = raw("--url", "http://127.0.0.1:1", "--token", admin(), "whoami");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("cannot reach");
        }
    }

    @Nested
    class Audit {
        @Test
        void list_shows_what_was_done() {
            String name = unique("audited");
            sv("sa", "create", name);
            Run r = sv("audit", "list", "--action", "service_account.create");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.rows().get(0)).startsWith("TIME", "ACTOR", "ACTION", "TARGET");
            assertThat(r.out()).contains("service_account:" + name);
            JsonNode events = sv("audit", "list", "-o", "json").json();
            assertThat(events.isArray()).isTrue();
            assertThat(events.findValuesAsText("action")).contains("service_account.create");
        }

        @Test
        void verify_reports_an_intact_chain() {
            Run r = sv("audit", "verify", "-o", "json");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.json().get("intact").asBoolean()).isTrue();
            assertThat(sv("audit", "verify").rows().get(0)).startsWith("INTACT", "EVENTS_CHECKED");
        }
    }

    @Nested
    class Users {
        @Test
        void a_user_changes_its_own_password_with_the_current_one() {
            String name = unique("cli-user");
            assertThat(sv("user", "create", name, "--email", name + "@example.com", "--password", "the first long password").exit()).isZero();
            String key = server.post("/v1/users/" + name + "/keys", admin(), "{\"name\":\"k\"}").expect(201).json().get("key").asText();
            Run without = as(key, "user", "update", name, "--password", "the second long password");
            assertThat(without.exit()).isEqualTo(1);
            assertThat(without.err()).contains("current_password");
            Run with = as(key, "user", "update", name, "--password", "the second long password", "--current-password", "the first long password");
            assertThat(with.exit()).as(with.toString()).isZero();
        }
    }

    @Nested
    class MalformedLines {
        @Test
        void an_unknown_option_exits_2() {
            assertThat(sv("sa", "list", "--colour").exit()).isEqualTo(2);
            assertThat(raw("--bogus").exit()).isEqualTo(2);
        }

        @Test
        void an_unknown_command_exits_2() {
            Run r = sv("frobnicate");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("frobnicate");
        }

        @Test
        void a_missing_argument_exits_2() {
            assertThat(sv("sa", "get").exit()).isEqualTo(2);
            assertThat(sv("key", "list").exit()).isEqualTo(2);
            assertThat(sv("sql").exit()).isEqualTo(2);
        }

        @Test
        void a_noun_without_its_verb_exits_2() {
            Run r = sv("sa");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("Missing subcommand");
        }

        @Test
        void serve_and_admin_token_are_still_there() {
            Run r = raw("admin-token");
            assertThat(r.exit()).isZero();
            assertThat(raw("--help").out()).contains("serve").contains("admin-token").contains("sa").contains("whoami");
        }
    }

    @Nested
    class Login {
        @Test
        void writes_a_0600_file_that_later_commands_use() throws Exception {
            assumeTrue(System.getenv("SERVITOR_URL") == null && System.getenv("SERVITOR_TOKEN") == null,
                "SERVITOR_URL/SERVITOR_TOKEN would take precedence over the login config");
            Path file = configDir.resolve("login/config.properties");
            String before = System.getProperty(CliConfig.PATH_PROPERTY);
            System.setProperty(CliConfig.PATH_PROPERTY, file.toString());
            try {
                Run login = raw("login", "--url", server.url(), "--token", admin());
                assertThat(login.exit()).as(login.toString()).isZero();
                assertThat(login.out()).contains("Logged in").doesNotContain(admin());
                assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
                assertThat(read(file)).contains(server.url().replace(":", "\\:")).contains(admin());

                String name = unique("after-login");
                assertThat(raw("sa", "create", name).exit()).isZero();
                Run list = raw("sa", "list", "-o", "json");
                assertThat(list.exit()).as(list.toString()).isZero();
                assertThat(list.json().findValuesAsText("name")).contains(name);
            } finally {
                System.setProperty(CliConfig.PATH_PROPERTY, before);
            }
        }

        @Test
        void refuses_a_credential_the_server_rejects_and_writes_nothing() {
            Path file = configDir.resolve("refused/config.properties");
            String before = System.getProperty(CliConfig.PATH_PROPERTY);
            System.setProperty(CliConfig.PATH_PROPERTY, file.toString());
            try {
                Run login = raw("login", "--url", server.url(), "--token", "svt_wrong");
                assertThat(login.exit()).isEqualTo(1);
                assertThat(file).doesNotExist();
            } finally {
                System.setProperty(CliConfig.PATH_PROPERTY, before);
            }
        }
    }

    @Nested
    class Completion {
        @Test
        void bash_prints_a_script_covering_the_commands() {
            Run r = raw("completion", "bash");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("complete -F").contains("servitor").contains("impersonate");
        }

        @Test
        void zsh_prints_the_script_behind_bashcompinit() {
            Run r = raw("completion", "zsh");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).startsWith("autoload -U +X compinit").contains("bashcompinit").contains("complete -F");
            assertThat(raw("completion", "fish").exit()).isEqualTo(2);
        }
    }

    /** Endpoints that the server may not serve yet: the CLI calls them anyway and reports the API's answer. */
    @Nested
    class EndpointsThatLandLater {
        private void answeredOrReported(Run r) {
            if (r.exit() != 0) {
                assertThat(r.exit()).as(r.toString()).isEqualTo(1);
                assertThat(r.err()).startsWith("Error: ");
                assertThat(r.out()).isEmpty();
            }
        }

        @Test
        void secret_generate() {
            String name = unique("oauth");
            sv("sa", "create", name);
            Run r = sv("secret", "generate", name, "-o", "json");
            answeredOrReported(r);
            if (r.exit() == 0) {
                assertThat(r.json().get("client_secret").asText()).startsWith("svs_");
                assertThat(r.err()).contains("cannot be shown again");
            }
        }

        @Test
        void token() {
            Run r = raw("--url", server.url(), "token", "--client-id", "sa_nobody", "--client-secret", "svs_wrong");
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).startsWith("Error: ");
        }

        @Test
        void users_groups_roles_policies() {
            for (String noun : new String[] {"user", "group", "role", "policy"}) answeredOrReported(sv(noun, "list"));
            answeredOrReported(sv("group", "create", unique("g"), "--role", "viewer"));
            answeredOrReported(sv("role", "get", "viewer"));
        }

        @Test
        void group_list_follows_every_page_of_the_api() {
            String prefix = unique("paged-grp");
            for (int i = 0; i < 55; i++) server.post("/v1/groups", admin(), "{\"name\":\"" + prefix + "-" + i + "\"}").expect(201);
            Run r = sv("group", "list", "-o", "json");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.json().findValuesAsText("name").stream().filter(n -> n.startsWith(prefix + "-"))).hasSize(55);
        }

        @Test
        void sql_from_the_line_and_from_a_file() throws Exception {
            answeredOrReported(sv("sql", "SHOW SERVICE ACCOUNTS"));
            Path f = configDir.resolve("statements.sql");
            Files.writeString(f, "SHOW SERVICE ACCOUNTS;");
            answeredOrReported(sv("sql", "-f", f.toString()));
        }
    }
}
