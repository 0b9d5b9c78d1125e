// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.servitor.adminql.Statement.AlterServiceAccount;
import dev.servitor.adminql.Statement.AlterUser;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every statement form of docs/sql.md, the lexical rules, and where syntax errors point. */
class ParserTest {

    private static Statement one(String sql) {
        List<ParsedStatement> all = Parser.parse(sql);
        assertThat(all).hasSize(1);
        return all.get(0).statement();
    }

    /** The detail of the syntax error {@code sql} answers. */
    static String syntaxError(String sql) {
        Throwable t = catchThrowable(() -> Parser.parse(sql));
        assertThat(t).as("a syntax error for: " + sql).isInstanceOf(ServiceException.class);
        ServiceException e = (ServiceException) t;
        assertThat(e.code()).isEqualTo(ErrorCode.SYNTAX_ERROR);
        assertThat(e.code().status()).isEqualTo(400);
        return e.detail();
    }

    @Nested
    class ServiceAccounts {
        @Test
        void create_with_every_option() {
            Statement s = one("CREATE SERVICE ACCOUNT ci_bot WITH DESCRIPTION = 'CI' NETWORK_POLICY = office "
                + "IS_ORGANIZATION_ADMIN = TRUE ROLE = contributor GROUPS = (ops, \"data-eng\")");
            assertThat(s).isEqualTo(new Statement.CreateServiceAccount("ci_bot", false, "CI", "office", true,
                "contributor", List.of("ops", "data-eng")));
        }

        @Test
        void create_with_options_separated_by_commas_and_in_any_order() {
            assertThat(one("create service account a with role = viewer, description = 'x'"))
                .isEqualTo(new Statement.CreateServiceAccount("a", false, "x", null, null, "viewer", null));
        }

        @Test
        void create_if_not_exists_of_the_firebolt_document() {
            assertThat(one("CREATE SERVICE ACCOUNT IF NOT EXISTS \"service_account_name\" WITH DESCRIPTION = 'service account 1';"))
                .isEqualTo(new Statement.CreateServiceAccount("service_account_name", true, "service account 1", null, null, null, null));
        }

        @Test
        void create_without_options_and_with_an_empty_group_list() {
            assertThat(one("CREATE SERVICE ACCOUNT a")).isEqualTo(new Statement.CreateServiceAccount("a", false, null, null, null, null, null));
            assertThat(((Statement.CreateServiceAccount) one("CREATE SERVICE ACCOUNT a WITH GROUPS = ()")).groups()).isEmpty();
            assertThat(((Statement.CreateServiceAccount) one("CREATE SERVICE ACCOUNT a WITH IS_ORGANIZATION_ADMIN = false")).orgAdmin()).isFalse();
        }

        @Test
        void alter_set_every_option_and_network_policy_default() {
            assertThat(one("ALTER SERVICE ACCOUNT a SET DESCRIPTION = 'd' NETWORK_POLICY = p IS_ORGANIZATION_ADMIN = FALSE ROLE = viewer"))
                .isEqualTo(new AlterServiceAccount("a", false, new AlterServiceAccount.SetOptions("d", Optional.of("p"), false, "viewer")));
            assertThat(one("ALTER SERVICE ACCOUNT a SET NETWORK_POLICY = DEFAULT"))
                .isEqualTo(new AlterServiceAccount("a", false, new AlterServiceAccount.SetOptions(null, Optional.empty(), null, null)));
            assertThat(one("ALTER SERVICE ACCOUNT a SET NETWORK_POLICY = \"DEFAULT\""))
                .isEqualTo(new AlterServiceAccount("a", false, new AlterServiceAccount.SetOptions(null, Optional.of("DEFAULT"), null, null)));
        }

        @Test
        void alter_rename_disable_enable_with_and_without_if_exists() {
            assertThat(one("ALTER SERVICE ACCOUNT IF EXISTS a RENAME TO b"))
                .isEqualTo(new AlterServiceAccount("a", true, new AlterServiceAccount.RenameTo("b")));
            assertThat(one("ALTER SERVICE ACCOUNT a DISABLE")).isEqualTo(new AlterServiceAccount("a", false, new AlterServiceAccount.SetDisabled(true)));
            assertThat(one("alter service account a enable")).isEqualTo(new AlterServiceAccount("a", false, new AlterServiceAccount.SetDisabled(false)));
        }

        @Test
        void drop_and_show() {
            assertThat(one("DROP SERVICE ACCOUNT service_account_name;")).isEqualTo(new Statement.DropServiceAccount("service_account_name", false));
            assertThat(one("DROP SERVICE ACCOUNT IF EXISTS x")).isEqualTo(new Statement.DropServiceAccount("x", true));
            assertThat(one("SHOW SERVICE ACCOUNTS")).isEqualTo(new Statement.ShowServiceAccounts());
        }

        @Test
        void generate_key_under_both_names() {
            assertThat(one("CALL GENERATE_SERVICE_ACCOUNT_KEY('sa1')")).isEqualTo(new Statement.GenerateServiceAccountKey("GENERATE_SERVICE_ACCOUNT_KEY", "sa1"));
            assertThat(one("CALL fb_GENERATESERVICEACCOUNTKEY('service_account_name')"))
                .isEqualTo(new Statement.GenerateServiceAccountKey("fb_GENERATESERVICEACCOUNTKEY", "service_account_name"));
        }
    }

    @Nested
    class ApiKeys {
        @Test
        void create_with_every_option() {
            assertThat(one("CREATE API KEY deploy FOR SERVICE ACCOUNT ci WITH DESCRIPTION = 'd' TTL = 3600 TYPE = read_scaling"))
                .isEqualTo(new Statement.CreateApiKey("deploy", "ci", "d", 3600L, "read_scaling"));
            assertThat(one("CREATE API KEY k FOR SERVICE ACCOUNT ci")).isEqualTo(new Statement.CreateApiKey("k", "ci", null, null, null));
            assertThat(one("CREATE API KEY k FOR SERVICE ACCOUNT ci WITH TTL = -5")).isEqualTo(new Statement.CreateApiKey("k", "ci", null, -5L, null));
        }

        @Test
        void create_and_alter_api_key_take_restrictions() {
            assertThat(one("CREATE API KEY k FOR SERVICE ACCOUNT ci WITH PERMISSIONS = ('a:read', 'b') ALLOWED_IPS = ('10.0.0.0/8') "
                + "RATE_LIMIT = '100/60s' REMAINING_USES = 1000 REFILL = '1000/day'"))
                .isEqualTo(new Statement.CreateApiKey("k", "ci", null, null, null, new dev.servitor.apikey.RestrictionsInput(
                    List.of("a:read", "b"), List.of("10.0.0.0/8"), new dev.servitor.apikey.RestrictionsInput.Rate(100L, 60L), 1000L,
                    new dev.servitor.apikey.RestrictionsInput.RefillInput(1000L, "day"))));
            assertThat(one("CREATE API KEY k FOR SERVICE ACCOUNT ci WITH RATE_LIMIT = '5/2m'"))
                .isEqualTo(new Statement.CreateApiKey("k", "ci", null, null, null, new dev.servitor.apikey.RestrictionsInput(
                    null, null, new dev.servitor.apikey.RestrictionsInput.Rate(5L, 120L), null, null, java.util.Set.of("rate_limit"))));
            assertThat(one("ALTER API KEY key_1 FOR SERVICE ACCOUNT ci SET ALLOWED_IPS = NULL, REMAINING_USES = 5"))
                .isEqualTo(new Statement.AlterApiKey("key_1", "ci", new dev.servitor.apikey.RestrictionsInput(
                    null, null, null, 5L, null, java.util.Set.of("allowed_ips", "remaining_uses"))));
            assertThat(syntaxError("CREATE API KEY k FOR SERVICE ACCOUNT a WITH RATE_LIMIT = '100 a minute'"))
                .startsWith("line 1, column 58: expected a rate such as '100/60s'");
            assertThat(syntaxError("CREATE API KEY k FOR SERVICE ACCOUNT a WITH REMAINING_USES = NULL"))
                .startsWith("line 1, column 62: expected a whole number after REMAINING_USES =");
        }

        @Test
        void show_and_revoke() {
            assertThat(one("SHOW API KEYS FOR SERVICE ACCOUNT ci")).isEqualTo(new Statement.ShowApiKeys("ci"));
            assertThat(one("REVOKE API KEY key_abc FOR SERVICE ACCOUNT ci")).isEqualTo(new Statement.RevokeApiKey("key_abc", "ci"));
            assertThat(one("REVOKE API KEY 'key_abc' FOR SERVICE ACCOUNT \"ci\"")).isEqualTo(new Statement.RevokeApiKey("key_abc", "ci"));
        }
    }

    @Nested
    class NetworkPolicies {
        @Test
        void create_alter_drop_show() {
            assertThat(one("CREATE NETWORK POLICY IF NOT EXISTS office WITH ALLOWED_IP_LIST = ('1.2.3.4', '10.0.0.0/8') "
                + "BLOCKED_IP_LIST = ('10.0.0.1') DESCRIPTION = 'HQ'"))
                .isEqualTo(new Statement.CreateNetworkPolicy("office", true, List.of("1.2.3.4", "10.0.0.0/8"), List.of("10.0.0.1"), "HQ"));
            assertThat(one("ALTER NETWORK POLICY office SET BLOCKED_IP_LIST = ()"))
                .isEqualTo(new Statement.AlterNetworkPolicy("office", null, List.of(), null));
            assertThat(one("DROP NETWORK POLICY IF EXISTS office")).isEqualTo(new Statement.DropNetworkPolicy("office", true));
            assertThat(one("SHOW NETWORK POLICIES")).isEqualTo(new Statement.ShowNetworkPolicies());
        }
    }

    @Nested
    class Users {
        @Test
        void create_of_the_firebolt_document_and_with_every_option() {
            assertThat(one("CREATE USER alex WITH SERVICE_ACCOUNT = service_account_name;"))
                .isEqualTo(new Statement.CreateUser("alex", false, null, "service_account_name", null, null, null));
            assertThat(one("CREATE USER IF NOT EXISTS alex IN WORKSPACE ws WITH LOGIN = 'a@x.io' DEFAULT_DATABASE = db DEFAULT_ENGINE = eng"))
                .isEqualTo(new Statement.CreateUser("alex", true, "ws", null, "a@x.io", "db", "eng"));
        }

        @Test
        void alter_each_setting() {
            assertThat(one("ALTER USER alex SET SERVICE_ACCOUNT = sa")).isEqualTo(new AlterUser("alex", null, AlterUser.Setting.SERVICE_ACCOUNT, "sa"));
            assertThat(one("ALTER USER alex IN WORKSPACE w SET SERVICE_ACCOUNT = DEFAULT"))
                .isEqualTo(new AlterUser("alex", "w", AlterUser.Setting.SERVICE_ACCOUNT, null));
            assertThat(one("ALTER USER alex SET DEFAULT_DATABASE = db")).isEqualTo(new AlterUser("alex", null, AlterUser.Setting.DEFAULT_DATABASE, "db"));
            assertThat(one("ALTER USER alex SET DEFAULT_ENGINE = e")).isEqualTo(new AlterUser("alex", null, AlterUser.Setting.DEFAULT_ENGINE, "e"));
        }

        @Test
        void drop_and_show() {
            assertThat(one("DROP USER IF EXISTS alex IN WORKSPACE w")).isEqualTo(new Statement.DropUser("alex", true, "w"));
            assertThat(one("DROP USER alex")).isEqualTo(new Statement.DropUser("alex", false, null));
            assertThat(one("SHOW USERS")).isEqualTo(new Statement.ShowUsers(null));
            assertThat(one("SHOW USERS IN WORKSPACE w")).isEqualTo(new Statement.ShowUsers("w"));
        }
    }

    @Nested
    class Federation {
        @Test
        void create_issuer_with_every_option_and_with_the_url_alone() {
            assertThat(one("CREATE FEDERATION ISSUER IF NOT EXISTS github WITH ISSUER_URL = 'https://token.actions.githubusercontent.com' "
                + "JWKS_URI = 'https://token.actions.githubusercontent.com/.well-known/jwks' JWKS = '{\"keys\":[]}' "
                + "MAX_TOKEN_AGE = 600 REQUIRE_JTI = TRUE"))
                .isEqualTo(new Statement.CreateFederationIssuer("github", true, "https://token.actions.githubusercontent.com",
                    "https://token.actions.githubusercontent.com/.well-known/jwks", "{\"keys\":[]}", 600L, true));
            assertThat(one("create federation issuer \"k8s-prod\" with issuer_url = 'https://k8s.example'"))
                .isEqualTo(new Statement.CreateFederationIssuer("k8s-prod", false, "https://k8s.example", null, null, null, null));
        }

        @Test
        void add_workload_identity_with_every_option() {
            assertThat(one("ALTER SERVICE ACCOUNT deployer ADD WORKLOAD IDENTITY main WITH ISSUER = github "
                + "AUDIENCE = 'https://servitor.example' SUBJECT = 'repo:acme/web:ref:refs/heads/main' SUBJECT_PREFIX = 'repo:acme/' "
                + "CONDITION = 'claims.repository_owner_id == ''42''' TOKEN_LIFETIME = 300"))
                .isEqualTo(new AlterServiceAccount("deployer", false, new AlterServiceAccount.AddWorkloadIdentity("main", "github",
                    "https://servitor.example", "repo:acme/web:ref:refs/heads/main", "repo:acme/", "claims.repository_owner_id == '42'", 300L)));
        }

        @Test
        void add_workload_identity_leaves_missing_options_to_the_service() {
            assertThat(one("ALTER SERVICE ACCOUNT IF EXISTS d ADD WORKLOAD IDENTITY w WITH AUDIENCE = 'a'"))
                .isEqualTo(new AlterServiceAccount("d", true, new AlterServiceAccount.AddWorkloadIdentity("w", null, "a", null, null, null, null)));
        }

        @Test
        void remove_workload_identity_show_and_drop() {
            assertThat(one("ALTER SERVICE ACCOUNT d REMOVE WORKLOAD IDENTITY w"))
                .isEqualTo(new AlterServiceAccount("d", false, new AlterServiceAccount.RemoveWorkloadIdentity("w")));
            assertThat(one("SHOW WORKLOAD IDENTITIES FOR SERVICE ACCOUNT d")).isEqualTo(new Statement.ShowWorkloadIdentities("d"));
            assertThat(one("SHOW FEDERATION ISSUERS")).isEqualTo(new Statement.ShowFederationIssuers());
            assertThat(one("DROP FEDERATION ISSUER IF EXISTS github")).isEqualTo(new Statement.DropFederationIssuer("github", true));
            assertThat(one("drop federation issuer github")).isEqualTo(new Statement.DropFederationIssuer("github", false));
        }

        @Test
        void syntax_errors_name_what_was_expected() {
            assertThat(syntaxError("ALTER SERVICE ACCOUNT d ADD IDENTITY w")).contains("line 1, column 29").contains("expected WORKLOAD after ADD");
            assertThat(syntaxError("ALTER SERVICE ACCOUNT d ADD WORKLOAD IDENTITY w WITH ISSUER = 'github'"))
                .contains("expected a federation issuer name");
            assertThat(syntaxError("ALTER SERVICE ACCOUNT d ADD WORKLOAD IDENTITY w WITH AUDIENCE = 'a' TOKEN_LIFETIME = '60'"))
                .contains("expected a whole number after TOKEN_LIFETIME =");
            assertThat(syntaxError("ALTER SERVICE ACCOUNT d ADD WORKLOAD IDENTITY w WITH AUDIENCE = 'a' AUDIENCE = 'b'"))
                .contains("AUDIENCE is given twice");
            assertThat(syntaxError("ALTER SERVICE ACCOUNT d ADD WORKLOAD IDENTITY w")).contains("expected WITH after the workload identity name");
            assertThat(syntaxError("CREATE FEDERATION ISSUER x WITH ISSUER = 'https://a'"))
                .contains("expected ISSUER_URL, JWKS_URI, JWKS, MAX_TOKEN_AGE, REQUIRE_JTI after WITH");
            assertThat(syntaxError("SHOW WORKLOAD IDENTITIES d")).contains("expected FOR after SHOW WORKLOAD IDENTITIES");
        }
    }

    @Nested
    class Lexical {
        @Test
        void keywords_are_case_insensitive_and_identifiers_keep_their_case() {
            assertThat(one("cReAtE sErViCe AcCoUnT MyBot wItH dEsCrIpTiOn = 'x' Is_Organization_Admin = tRuE"))
                .isEqualTo(new Statement.CreateServiceAccount("MyBot", false, "x", null, true, null, null));
        }

        @Test
        void quoted_identifiers_may_hold_any_character_and_double_their_quotes() {
            assertThat(one("DROP SERVICE ACCOUNT \"my-sa\"")).isEqualTo(new Statement.DropServiceAccount("my-sa", false));
            assertThat(one("DROP SERVICE ACCOUNT \"say \"\"hi\"\"\"")).isEqualTo(new Statement.DropServiceAccount("say \"hi\"", false));
            assertThat(one("DROP SERVICE ACCOUNT \"CREATE\"")).isEqualTo(new Statement.DropServiceAccount("CREATE", false));
        }

        @Test
        void strings_double_their_quotes_and_may_span_lines() {
            assertThat(((Statement.CreateServiceAccount) one("CREATE SERVICE ACCOUNT a WITH DESCRIPTION = 'it''s ''quoted'''")).description())
                .isEqualTo("it's 'quoted'");
            assertThat(((Statement.CreateServiceAccount) one("CREATE SERVICE ACCOUNT a WITH DESCRIPTION = 'two\nlines'")).description())
                .isEqualTo("two\nlines");
            assertThat(((Statement.CreateServiceAccount) one("CREATE SERVICE ACCOUNT a WITH DESCRIPTION = ''")).description()).isEmpty();
        }

        @Test
        void comments_are_ignored_and_do_not_end_a_statement() {
            List<ParsedStatement> all = Parser.parse("""
                -- make the bot
                CREATE /* inline; with a semicolon */ SERVICE ACCOUNT a; -- trailing
                /* a block
                   over lines */ SHOW SERVICE ACCOUNTS -- no final semicolon
                """);
            assertThat(all).extracting(ParsedStatement::statement)
                .containsExactly(new Statement.CreateServiceAccount("a", false, null, null, null, null, null), new Statement.ShowServiceAccounts());
            assertThat(all.get(0).text()).isEqualTo("CREATE /* inline; with a semicolon */ SERVICE ACCOUNT a");
            assertThat(all.get(1).text()).isEqualTo("SHOW SERVICE ACCOUNTS");
            assertThat(all.get(1).line()).isEqualTo(4);
            assertThat(all.get(1).index()).isEqualTo(1);
        }

        @Test
        void the_final_semicolon_is_optional_and_empty_statements_are_skipped() {
            assertThat(Parser.parse("SHOW SERVICE ACCOUNTS")).hasSize(1);
            assertThat(Parser.parse("SHOW SERVICE ACCOUNTS;")).hasSize(1);
            assertThat(Parser.parse(";; SHOW SERVICE ACCOUNTS;; SHOW USERS ;")).hasSize(2);
        }

        @Test
        void a_semicolon_inside_a_string_or_quoted_name_does_not_end_the_statement() {
            List<ParsedStatement> all = Parser.parse("CREATE SERVICE ACCOUNT \"a;b\" WITH DESCRIPTION = 'x;y'; SHOW SERVICE ACCOUNTS");
            assertThat(all).hasSize(2);
            assertThat(((Statement.CreateServiceAccount) all.get(0).statement()).description()).isEqualTo("x;y");
        }
    }

    @Nested
    class SyntaxErrors {
        @Test
        void a_missing_equals_names_line_column_expectation_and_what_was_found() {
            assertThat(syntaxError("CREATE SERVICE ACCOUNT a WITH DESCRIPTION service"))
                .isEqualTo("line 1, column 43: expected '=' after DESCRIPTION, found 'service'");
        }

        @Test
        void positions_count_lines_and_columns_from_one() {
            assertThat(syntaxError("SHOW SERVICE ACCOUNTS;\n  CREATE SERVICE ACCOUNT a WITH\n    ROLE viewer"))
                .isEqualTo("line 3, column 10: expected '=' after ROLE, found 'viewer'");
            assertThat(syntaxError("SHOW SERVICE ACCOUNTS;\r\nDROP SERVICE ACCOUNTS a"))
                .isEqualTo("line 2, column 14: expected ACCOUNT after SERVICE, found 'ACCOUNTS'");
            assertThat(syntaxError("DROP\n\tSCHEMA x")).isEqualTo("line 2, column 2: expected SERVICE ACCOUNT, NETWORK POLICY, USER or FEDERATION ISSUER after DROP, found 'SCHEMA'");
        }

        @Test
        void an_unknown_statement_lists_the_statements() {
            assertThat(syntaxError("SELECT 1")).isEqualTo("line 1, column 1: expected a statement (CREATE, ALTER, DROP, SHOW, CALL or REVOKE), found 'SELECT'");
        }

        @Test
        void a_misspelt_option_lists_the_options() {
            assertThat(syntaxError("CREATE SERVICE ACCOUNT a WITH DESCRIPTON = 'x'"))
                .isEqualTo("line 1, column 31: expected DESCRIPTION, NETWORK_POLICY, IS_ORGANIZATION_ADMIN, ROLE, GROUPS after WITH, found 'DESCRIPTON'");
            assertThat(syntaxError("CREATE SERVICE ACCOUNT a WITH ROLE = r DESCRIPTON = 'x'"))
                .startsWith("line 1, column 40: expected DESCRIPTION, NETWORK_POLICY, IS_ORGANIZATION_ADMIN, ROLE, GROUPS or ';' after the value of ROLE");
        }

        @Test
        void two_statements_without_a_semicolon_between_them() {
            assertThat(syntaxError("SHOW SERVICE ACCOUNTS\nSHOW USERS"))
                .isEqualTo("line 2, column 1: expected ';' at the end of SHOW SERVICE ACCOUNTS, found 'SHOW'");
        }

        @Test
        void wrong_value_kinds() {
            assertThat(syntaxError("CREATE SERVICE ACCOUNT a WITH DESCRIPTION = x"))
                .isEqualTo("line 1, column 45: expected a string in single quotes after DESCRIPTION =, found 'x'");
            assertThat(syntaxError("CREATE SERVICE ACCOUNT a WITH IS_ORGANIZATION_ADMIN = 'yes'"))
                .isEqualTo("line 1, column 55: expected TRUE or FALSE after IS_ORGANIZATION_ADMIN =, found a string");
            assertThat(syntaxError("CREATE API KEY k FOR SERVICE ACCOUNT a WITH TTL = 1.5"))
                .isEqualTo("line 1, column 51: expected a whole number after TTL =, found number 1.5");
            assertThat(syntaxError("CREATE API KEY k FOR SERVICE ACCOUNT a WITH TTL = 1234567890123456789"))
                .isEqualTo("line 1, column 51: the number after TTL is too large");
        }

        @Test
        void an_option_given_twice() {
            assertThat(syntaxError("ALTER SERVICE ACCOUNT a SET ROLE = r ROLE = s")).isEqualTo("line 1, column 38: ROLE is given twice");
        }

        @Test
        void an_empty_with_or_set_and_a_missing_name() {
            assertThat(syntaxError("ALTER SERVICE ACCOUNT a SET;")).isEqualTo(
                "line 1, column 28: expected DESCRIPTION, NETWORK_POLICY, IS_ORGANIZATION_ADMIN, ROLE after SET, found ';'");
            assertThat(syntaxError("DROP SERVICE ACCOUNT")).isEqualTo("line 1, column 21: expected a service account name, found end of input");
            assertThat(syntaxError("DROP SERVICE ACCOUNT 'a'")).isEqualTo("line 1, column 22: expected a service account name, found a string");
        }

        @Test
        void an_unknown_procedure_and_bad_call_syntax() {
            assertThat(syntaxError("CALL drop_everything('x')"))
                .isEqualTo("line 1, column 6: expected GENERATE_SERVICE_ACCOUNT_KEY or fb_GENERATESERVICEACCOUNTKEY after CALL, found 'drop_everything'");
            assertThat(syntaxError("CALL fb_GENERATESERVICEACCOUNTKEY('x'")).isEqualTo("line 1, column 38: expected ')' after the service account name, found end of input");
        }

        @Test
        void an_empty_script_or_only_comments() {
            assertThat(syntaxError("")).isEqualTo("line 1, column 1: expected a statement, found end of input");
            assertThat(syntaxError("  -- nothing\n ;")).isEqualTo("line 2, column 3: expected a statement, found end of input");
        }

        @Test
        void lexical_errors_point_at_their_start() {
            assertThat(syntaxError("CREATE SERVICE ACCOUNT a WITH DESCRIPTION = 'open")).isEqualTo("line 1, column 45: unterminated string");
            assertThat(syntaxError("SHOW\nSERVICE ACCOUNTS /* open")).isEqualTo("line 2, column 18: unterminated comment");
            assertThat(syntaxError("DROP SERVICE ACCOUNT \"open")).isEqualTo("line 1, column 22: unterminated quoted identifier");
            assertThat(syntaxError("DROP SERVICE ACCOUNT a#")).isEqualTo("line 1, column 23: unexpected character '#'");
            assertThat(syntaxError("DROP SERVICE ACCOUNT a\u0000")).isEqualTo("line 1, column 23: unexpected character U+0000 (NUL)");
            assertThat(syntaxError("DROP SERVICE ACCOUNT \"a\u0000\"")).isEqualTo("line 1, column 24: unexpected character U+0000 (NUL)");
        }

        @Test
        void a_bare_name_with_a_dash_is_told_to_quote_it() {
            assertThat(syntaxError("CREATE SERVICE ACCOUNT ci-bot")).isEqualTo(
                "line 1, column 26: unexpected character '-'; a name with '-' must be double-quoted, as in \"my-sa\"");
            assertThat(syntaxError("CREATE SERVICE ACCOUNT ci-1")).startsWith("line 1, column 26: unexpected character '-'");
        }

        @Test
        void a_string_is_never_echoed_in_an_error() {
            assertThat(syntaxError("CREATE SERVICE ACCOUNT a WITH ROLE = 'svt_secretlooking'")).doesNotContain("svt_secretlooking");
        }
    }
}
