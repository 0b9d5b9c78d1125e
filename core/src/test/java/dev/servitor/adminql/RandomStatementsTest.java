// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.Servitor;
import dev.servitor.caller.Caller;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.config.ServitorConfig;
import dev.servitor.testing.TestDatabases;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A deterministic stand-in for a fuzzer (fixed seed): thousands of mutations of valid
 * statements, run as the org admin against a real store. Each either is a syntax error or
 * runs, every refusal being a {@link ServiceException}; nothing else is ever thrown.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RandomStatementsTest {
    private static final long SEED = 20261124L;
    private static final List<String> CORPUS = List.of(
        "CREATE SERVICE ACCOUNT IF NOT EXISTS \"fz-a\" WITH DESCRIPTION = 'it''s a bot' IS_ORGANIZATION_ADMIN = FALSE ROLE = viewer",
        "CREATE SERVICE ACCOUNT fz_b WITH GROUPS = (g1, g2) NETWORK_POLICY = p",
        "ALTER SERVICE ACCOUNT IF EXISTS fz_b SET DESCRIPTION = 'x' NETWORK_POLICY = DEFAULT ROLE = contributor",
        "ALTER SERVICE ACCOUNT \"fz-a\" RENAME TO fz_c",
        "ALTER SERVICE ACCOUNT fz_c DISABLE; ALTER SERVICE ACCOUNT fz_c ENABLE",
        "DROP SERVICE ACCOUNT IF EXISTS fz_c",
        "SHOW SERVICE ACCOUNTS;",
        "CALL fb_GENERATESERVICEACCOUNTKEY('fz_b')",
        "CALL GENERATE_SERVICE_ACCOUNT_KEY('fz_b')",
        "CREATE API KEY k1 FOR SERVICE ACCOUNT fz_b WITH DESCRIPTION = 'd' TTL = 3600 TYPE = read_scaling",
        "SHOW API KEYS FOR SERVICE ACCOUNT fz_b",
        "REVOKE API KEY 'key_x' FOR SERVICE ACCOUNT fz_b",
        "CREATE NETWORK POLICY IF NOT EXISTS p WITH ALLOWED_IP_LIST = ('1.2.3.4', '10.0.0.0/8') BLOCKED_IP_LIST = ('10.0.0.1') DESCRIPTION = 'd'",
        "ALTER NETWORK POLICY p SET ALLOWED_IP_LIST = ()",
        "DROP NETWORK POLICY IF EXISTS p; SHOW NETWORK POLICIES",
        "CREATE USER IF NOT EXISTS alex IN WORKSPACE w WITH SERVICE_ACCOUNT = fz_b LOGIN = 'a@b.c' DEFAULT_DATABASE = d DEFAULT_ENGINE = e",
        "ALTER USER alex IN WORKSPACE w SET SERVICE_ACCOUNT = DEFAULT",
        "DROP USER IF EXISTS alex; SHOW USERS IN WORKSPACE w",
        "-- comment\nSHOW SERVICE ACCOUNTS /* block */ ;");
    private static final String ALPHABET = "abcXYZ_09 \t\n;,=()'\"-/*\u0000\u00e9\u202e\ud83d\ude00";

    private Servitor servitor;
    private Caller admin;
    private StatementExecutor executor;

    @BeforeAll
    void start() {
        servitor = Servitor.start(ServitorConfig.defaults().withStorage(TestDatabases.sqlite()), Clock.systemUTC());
        admin = servitor.verifier().verify(servitor.generatedAdminKey().orElseThrow(), "127.0.0.1").caller();
        executor = new StatementExecutor(servitor.serviceAccounts(), servitor.keys(), servitor.clientSecrets(),
            servitor.workspaces(), servitor.networkPolicies(), servitor.orgs(), servitor.webhooks(), servitor.federation());
    }

    @AfterAll
    void stop() {
        servitor.close();
    }

    @Test
    void mutated_statements_answer_a_syntax_error_or_run_and_never_throw_anything_else() {
        Random random = new Random(SEED);
        Map<ErrorCode, Integer> refusals = new EnumMap<>(ErrorCode.class);
        int ran = 0;
        for (int i = 0; i < 3_000; i++) {
            String script = mutate(random, CORPUS.get(random.nextInt(CORPUS.size())));
            try {
                ScriptRun run = executor.run(admin, script);
                ran++;
                if (!run.succeeded()) refusals.merge(run.failure().error().code(), 1, Integer::sum);
            } catch (ServiceException e) {
                assertThat(e.code()).as("refusal of %s", printable(script)).isEqualTo(ErrorCode.SYNTAX_ERROR);
                assertThat(e.detail()).matches("line \\d+, column \\d+: .+");
                refusals.merge(e.code(), 1, Integer::sum);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("unexpected " + e + " for " + printable(script), e);
            }
        }
        // the mix is exercised: some scripts ran, some were refused by the parser, some by a service
        assertThat(ran).isGreaterThan(100);
        assertThat(refusals).containsKey(ErrorCode.SYNTAX_ERROR).hasSizeGreaterThan(1);
    }

    @Test
    void the_parser_alone_survives_many_more_mutations() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 50_000; i++) {
            String script = mutate(random, CORPUS.get(random.nextInt(CORPUS.size())));
            try {
                Parser.parse(script);
            } catch (ServiceException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.SYNTAX_ERROR);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("unexpected " + e + " for " + printable(script), e);
            }
        }
    }

    /** One to four edits: delete, insert, duplicate, truncate, splice or case-flip. */
    private static String mutate(Random r, String s) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = b.length() == 0 ? 0 : r.nextInt(b.length());
            switch (r.nextInt(7)) {
                case 0 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(6)));
                case 1 -> b.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 2 -> b.insert(at, b.substring(at, Math.min(b.length(), at + r.nextInt(12))));
                case 3 -> b.setLength(at);
                case 4 -> b.insert(at, "; " + CORPUS.get(r.nextInt(CORPUS.size())) + ";");
                case 5 -> b.setCharAt(Math.min(at, Math.max(0, b.length() - 1)), Character.toUpperCase(b.length() == 0 ? 'x' : b.charAt(at)));
                default -> { /* leave the text as it is: valid statements must run too */ }
            }
            if (b.length() == 0) b.append("SHOW USERS");
        }
        return b.toString();
    }

    private static String printable(String s) {
        return s.replace("\u0000", "\\0").replace("\n", "\\n");
    }
}
