// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.servitor.Servitor;
import dev.servitor.account.NewServiceAccount;
import dev.servitor.apikey.NewKey;
import dev.servitor.caller.Caller;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.config.ServitorConfig;
import dev.servitor.testing.TestDatabases;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The executor over real services: it only calls them and stops at the first refusal. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatementExecutorTest {
    private Servitor servitor;
    private Caller admin;
    private Caller plain;
    private StatementExecutor executor;

    @BeforeAll
    void start() {
        servitor = Servitor.start(ServitorConfig.defaults().withStorage(TestDatabases.sqlite()), Clock.systemUTC());
        admin = servitor.verifier().verify(servitor.generatedAdminKey().orElseThrow(), "127.0.0.1").caller();
        servitor.serviceAccounts().create(admin, new NewServiceAccount("plain", null, null, null, null, null), false, false);
        String key = servitor.keys().create(admin, KeyOwnerRef.serviceAccount("plain"), new NewKey("k", null, null, null, null)).secret();
        plain = servitor.verifier().verify(key, "127.0.0.1").caller();
        executor = newExecutor();
    }

    @AfterAll
    void stop() {
        servitor.close();
    }

    private StatementExecutor newExecutor() {
        return new StatementExecutor(servitor.serviceAccounts(), servitor.keys(), servitor.clientSecrets(),
            servitor.workspaces(), servitor.networkPolicies(), servitor.orgs(), servitor.webhooks(), servitor.federation());
    }

    @Test
    void a_refused_statement_stops_the_script_and_keeps_what_ran_before() {
        ScriptRun run = executor.run(admin, "CREATE SERVICE ACCOUNT first; CREATE SERVICE ACCOUNT first; CREATE SERVICE ACCOUNT third");
        assertThat(run.succeeded()).isFalse();
        assertThat(run.results()).hasSize(1);
        assertThat(run.failure().statement().index()).isEqualTo(1);
        assertThat(run.failure().error().code()).isEqualTo(ErrorCode.SERVICE_ACCOUNT_EXISTS);
        assertThat(servitor.serviceAccounts().get(admin, "first")).isNotNull();
        ServiceException notRun = catchThrowableOfType(ServiceException.class, () -> servitor.serviceAccounts().get(admin, "third"));
        assertThat(notRun.code()).isEqualTo(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND);
    }

    @Test
    void if_exists_takes_not_found_as_done_but_never_a_refusal_of_permission() {
        assertThat(executor.run(admin, "DROP SERVICE ACCOUNT IF EXISTS ghost; ALTER SERVICE ACCOUNT IF EXISTS ghost DISABLE").succeeded()).isTrue();
        ScriptRun run = executor.run(plain, "DROP SERVICE ACCOUNT IF EXISTS ghost");
        assertThat(run.failure().error().code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(executor.run(admin, "DROP SERVICE ACCOUNT ghost").failure().error().code()).isEqualTo(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND);
    }

    @Test
    void the_callers_permissions_decide_as_for_rest() {
        assertThat(executor.run(plain, "SHOW SERVICE ACCOUNTS").failure().error().code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(executor.run(plain, "CREATE API KEY k2 FOR SERVICE ACCOUNT plain").failure().error().code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void show_service_accounts_has_the_documented_columns() {
        ResultSet rs = executor.run(admin, "SHOW SERVICE ACCOUNTS").results().get(0).result();
        assertThat(rs.columns()).containsExactly("id", "name", "description", "role", "network_policy", "is_organization_admin",
            "disabled", "created");
        assertThat(rs.rows()).anySatisfy(r -> assertThat(r.get(1)).isEqualTo("plain"));
    }

    @Test
    void generate_service_account_key_returns_the_client_id_and_a_new_secret_under_both_names() {
        ResultSet first = executor.run(admin, "CALL GENERATE_SERVICE_ACCOUNT_KEY('plain')").results().get(0).result();
        ResultSet second = executor.run(admin, "CALL fb_GENERATESERVICEACCOUNTKEY('plain')").results().get(0).result();
        assertThat(first.columns()).containsExactly("service_account_id", "secret");
        String id = servitor.serviceAccounts().get(admin, "plain").id();
        assertThat(first.rows().get(0).get(0)).isEqualTo(id);
        assertThat(second.rows().get(0).get(0)).isEqualTo(id);
        assertThat(second.rows().get(0).get(1)).isNotEqualTo(first.rows().get(0).get(1));
        assertThat(servitor.clientSecrets().authenticate(id, (String) first.rows().get(0).get(1))).isEmpty(); // replaced at once
        assertThat(servitor.clientSecrets().authenticate(id, (String) second.rows().get(0).get(1))).isPresent();
        assertThat(executor.run(plain, "CALL GENERATE_SERVICE_ACCOUNT_KEY('plain')").failure().error().code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void scripts_in_progress_share_one_pool_of_result_bytes_and_give_it_back_when_done() {
        ResultSet all = executor.run(admin, "SHOW SERVICE ACCOUNTS").results().get(0).result();
        int oneShow = all.rows().stream().mapToInt(ScriptBudget::jsonBytes).sum();
        StatementExecutor small = newExecutor()
            .withLimits(new ServitorConfig.Sql(100, 10_000, oneShow, oneShow + oneShow / 2));
        try (ScriptBudget first = small.newBudget()) {
            assertThat(small.run(admin, "SHOW SERVICE ACCOUNTS", first).succeeded()).isTrue();
            try (ScriptBudget second = small.newBudget()) {
                ScriptRun refused = small.run(admin, "SHOW SERVICE ACCOUNTS", second);
                assertThat(refused.failure().error().code()).isEqualTo(ErrorCode.UNAVAILABLE);
            }
        }
        try (ScriptBudget third = small.newBudget()) {
            assertThat(small.run(admin, "SHOW SERVICE ACCOUNTS", third).succeeded()).as("the pool was given back").isTrue();
        }
    }

    @Test
    void a_key_shown_once_is_never_refused_by_the_result_bound_but_the_next_show_is() {
        StatementExecutor oneRow = newExecutor()
            .withLimits(new ServitorConfig.Sql(100, 1, 1024 * 1024, 1024 * 1024));
        ScriptRun run = oneRow.run(admin, "CREATE API KEY once1 FOR SERVICE ACCOUNT plain; "
            + "CREATE API KEY once2 FOR SERVICE ACCOUNT plain; SHOW API KEYS FOR SERVICE ACCOUNT plain");
        assertThat(run.results()).hasSize(2).allSatisfy(r -> assertThat((String) r.result().rows().get(0).get(4)).isNotBlank());
        assertThat(run.failure().statement().index()).isEqualTo(2);
        assertThat(run.failure().error().code()).isEqualTo(ErrorCode.RESULT_TOO_LARGE);
        assertThat(run.failure().error().code().status()).isEqualTo(413);
    }
}
