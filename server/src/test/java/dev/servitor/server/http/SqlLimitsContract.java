// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What one {@code POST /v1/sql} may build is bounded (issue 14, item 1: 1,000 SHOWs of 1,000
 * accounts took the server down): statements per script, and rows and bytes of the results
 * across the whole script. Past a bound the answer is a short 413 problem document, never a
 * giant body, and the server stays up. The bounds are small here so that the tests are quick;
 * the defaults are in docs/configuration.md.
 */
abstract class SqlLimitsContract extends ApiContract {
    private static final int MAX_STATEMENTS = 40;
    private static final int MAX_ROWS = 100;
    private static final int MAX_BYTES = 32 * 1024;

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        return config.withSql(new ServitorConfig.Sql(MAX_STATEMENTS, MAX_ROWS, MAX_BYTES, 64 * MAX_BYTES));
    }

    private Response sql(String key, String script) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/sql")).header("Content-Type", "text/plain")
            .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(script)).build());
    }

    /** A fresh organization, so that its lists hold exactly what the test puts there; its admin key. */
    private String newOrg() {
        String name = unique("limits-org");
        return server.post("/v1/orgs", admin(), "{\"name\":\"" + name + "\",\"admin_username\":\"boss\",\"admin_email\":\"boss@"
            + name + ".example\"}").expect(201).json().get("admin_key").asText();
    }

    private static String repeat(String statement, int times) {
        return (statement + ";\n").repeat(times);
    }

    private static void assertTooLarge(Response r, int statementIndex) {
        assertThat(r.status()).as(r.body()).isEqualTo(413);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("result_too_large");
        assertThat(r.json().get("statement_index").asInt()).isEqualTo(statementIndex);
        assertThat(r.body().length()).as("no giant body").isLessThan(2 * MAX_BYTES);
    }

    private void assertServerStillAnswers(String org) {
        server.get("/healthz", null).expect(200);
        assertThat(sql(org, "SHOW SERVICE ACCOUNTS").expect(200).json().get("results")).hasSize(1);
    }

    @Test
    void a_script_past_the_statement_limit_is_refused_and_nothing_of_it_is_applied() {
        String org = newOrg();
        StringBuilder script = new StringBuilder();
        for (int i = 0; i <= MAX_STATEMENTS; i++) script.append("CREATE SERVICE ACCOUNT sa").append(i).append(";\n");
        Response r = sql(org, script.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(413);
        assertThat(r.json().get("code").asText()).isEqualTo("too_many_statements");
        assertThat(r.json().get("detail").asText()).contains("more than " + MAX_STATEMENTS + " statements").contains("nothing was run");
        assertThat(server.get("/v1/service-accounts", org).expect(200).json().get("service_accounts")).isEmpty();
        // exactly the limit runs
        assertThat(sql(org, repeat("SHOW SERVICE ACCOUNTS", MAX_STATEMENTS)).expect(200).json().get("results")).hasSize(MAX_STATEMENTS);
    }

    @Test
    void many_creates_then_many_shows_answer_413_instead_of_building_every_row() {
        String org = newOrg();
        StringBuilder creates = new StringBuilder();
        for (int i = 0; i < MAX_STATEMENTS; i++) creates.append("CREATE SERVICE ACCOUNT sa").append(i).append(";\n");
        sql(org, creates.toString()).expect(200);
        // 40 accounts a SHOW: the third SHOW passes 100 rows
        Response r = sql(org, repeat("SHOW SERVICE ACCOUNTS", MAX_STATEMENTS));
        assertTooLarge(r, 2);
        assertThat(r.json().get("results")).hasSize(2).allSatisfy(s -> assertThat(s.get("rows")).hasSize(MAX_STATEMENTS));
        assertServerStillAnswers(org);
    }

    @Test
    void long_rows_stop_at_the_byte_bound_before_the_row_bound() {
        String org = newOrg();
        String description = "d".repeat(1000);
        StringBuilder creates = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            creates.append("CREATE SERVICE ACCOUNT sa").append(i).append(" WITH DESCRIPTION = '").append(description).append("';\n");
        }
        sql(org, creates.toString()).expect(200);
        // 20 rows of ~1.1 kB a SHOW: the second SHOW passes 32 KiB at 40 rows, far below 100
        assertTooLarge(sql(org, repeat("SHOW SERVICE ACCOUNTS", 3)), 1);
        assertServerStillAnswers(org);
    }

    @Test
    void shows_of_keys_policies_and_workspace_users_are_bounded_the_same_way() {
        String org = newOrg();
        StringBuilder setup = new StringBuilder("CREATE SERVICE ACCOUNT owner;\n");
        for (int i = 0; i < 30; i++) {
            setup.append("CREATE API KEY k").append(i).append(" FOR SERVICE ACCOUNT owner;\n");
        }
        sql(org, setup.toString()).expect(200);
        StringBuilder policies = new StringBuilder();
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            policies.append("CREATE NETWORK POLICY p").append(i).append(" WITH ALLOWED_IP_LIST = ('10.0.0.0/8');\n");
            users.append("CREATE USER u").append(i).append(";\n");
        }
        sql(org, policies.toString()).expect(200);
        sql(org, users.toString()).expect(200);
        // 30 rows a SHOW: the fourth passes 100 rows
        assertTooLarge(sql(org, repeat("SHOW API KEYS FOR SERVICE ACCOUNT owner", 5)), 3);
        assertTooLarge(sql(org, repeat("SHOW NETWORK POLICIES", 5)), 3);
        assertTooLarge(sql(org, repeat("SHOW USERS", 5)), 3);
        assertTooLarge(sql(org, "SHOW USERS; SHOW NETWORK POLICIES; SHOW API KEYS FOR SERVICE ACCOUNT owner; SHOW USERS"), 3);
        assertServerStillAnswers(org);
    }

    @Test
    void keys_created_before_the_bound_is_passed_are_still_shown_once() {
        String org = newOrg();
        StringBuilder creates = new StringBuilder();
        for (int i = 0; i < 30; i++) creates.append("CREATE SERVICE ACCOUNT sa").append(i).append(";\n");
        sql(org, creates.toString()).expect(200);
        Response r = sql(org, repeat("SHOW SERVICE ACCOUNTS", 3) + "CREATE API KEY once FOR SERVICE ACCOUNT sa0;\n"
            + repeat("SHOW SERVICE ACCOUNTS", 2));
        assertTooLarge(r, 4);
        JsonNode created = r.json().get("results").get(3);
        assertThat(created.get("columns").get(4).asText()).isEqualTo("key");
        String secret = created.get("rows").get(0).get(4).asText();
        assertThat(verify(secret).get("valid").asBoolean()).isTrue();
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void parallel_oversized_scripts_are_all_refused_and_the_server_stays_up() throws Exception {
        String org = newOrg();
        StringBuilder creates = new StringBuilder();
        for (int i = 0; i < MAX_STATEMENTS; i++) creates.append("CREATE SERVICE ACCOUNT sa").append(i).append(";\n");
        sql(org, creates.toString()).expect(200);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 100; i++) answers.add(pool.submit(() -> sql(org, repeat("SHOW SERVICE ACCOUNTS", MAX_STATEMENTS))));
            for (Future<Response> f : answers) {
                Response r = f.get();
                // 413 for this script's bound, or 503 while the scripts in progress together hold the shared pool
                assertThat(r.status()).as(r.body()).isIn(413, 503);
                assertThat(r.json().get("code").asText()).isIn("result_too_large", "unavailable");
            }
        } finally {
            pool.shutdownNow();
        }
        assertServerStillAnswers(org);
    }
}
