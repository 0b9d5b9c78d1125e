// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code servitor key …}: a secret is printed once, lists never print one, revoke and rotate take effect. */
class KeyCommandsTest extends CliTest {
    private static final Pattern SECRET = Pattern.compile("svt_[0-9A-Za-z]{49}");

    private String account() {
        String name = unique("keyed");
        assertThat(sv("sa", "create", name).exit()).isZero();
        return name;
    }

    private static String onlySecretIn(String text) {
        Matcher m = SECRET.matcher(text);
        assertThat(m.find()).as("a key in: " + text).isTrue();
        String key = m.group();
        assertThat(m.find()).as("the key is printed once").isFalse();
        return key;
    }

    @Test
    void create_prints_the_secret_once_on_stdout_and_a_note_on_stderr() {
        String sa = account();
        Run r = sv("key", "create", "--service-account", sa, "--name", "deploy", "--expires-in-days", "30");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.rows().get(0)).containsExactly("ID", "NAME", "TYPE", "EXPIRES_AT", "KEY");
        String key = onlySecretIn(r.out());
        assertThat(r.err()).contains("cannot be shown again").doesNotContain(key);
        Run who = as(key, "whoami", "-o", "json");
        assertThat(who.json().get("principal").get("name").asText()).isEqualTo(sa);
    }

    @Test
    void create_with_json_prints_the_apis_object() {
        String sa = account();
        JsonNode k = sv("key", "create", "--sa", sa, "--name", "scaler", "--type", "read_scaling", "--ttl", "3600", "-o", "json").json();
        assertThat(k.get("type").asText()).isEqualTo("read_scaling");
        assertThat(k.get("expires_at").isNull()).isFalse();
        assertThat(k.get("key").asText()).startsWith("svt_");
    }

    @Test
    void list_never_prints_a_secret() {
        String sa = account();
        Run created = sv("key", "create", "--sa", sa, "--name", "k1", "-o", "json");
        String key = created.json().get("key").asText();
        String id = created.json().get("id").asText();
        for (String format : new String[] {"table", "json", "yaml"}) {
            Run r = sv("key", "list", "--service-account", sa, "-o", format);
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains(id).doesNotContain(key).doesNotContain(key.substring(10));
        }
        assertThat(sv("key", "list", "--sa", sa).rows().get(0)).startsWith("ID", "NAME", "TYPE", "PREFIX");
    }

    @Test
    void revoke_stops_that_key_alone() {
        String sa = account();
        JsonNode a = sv("key", "create", "--sa", sa, "--name", "a", "-o", "json").json();
        JsonNode b = sv("key", "create", "--sa", sa, "--name", "b", "-o", "json").json();
        Run r = sv("key", "revoke", "--sa", sa, a.get("id").asText());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(as(a.get("key").asText(), "whoami").exit()).isEqualTo(1);
        assertThat(as(b.get("key").asText(), "whoami").exit()).isZero();
        assertThat(sv("key", "list", "--sa", sa, "-o", "json").json().findValuesAsText("name")).containsExactly("b");
    }

    @Test
    void rotate_prints_the_new_key_once_and_the_old_one_stops_without_grace() {
        String sa = account();
        JsonNode old = sv("key", "create", "--sa", sa, "--name", "rot", "-o", "json").json();
        Run r = sv("key", "rotate", "--sa", sa, old.get("id").asText(), "--grace", "0");
        assertThat(r.exit()).as(r.toString()).isZero();
        String fresh = onlySecretIn(r.out());
        assertThat(r.err()).contains("cannot be shown again");
        assertThat(as(old.get("key").asText(), "whoami").exit()).isEqualTo(1);
        assertThat(as(fresh, "whoami").exit()).isZero();
    }

    @Test
    void revoking_an_unknown_key_exits_1_with_the_detail() {
        Run r = sv("key", "revoke", "--sa", account(), "key_doesnotexist");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("Error: ").contains("404");
    }

    @Test
    void a_ttl_out_of_range_exits_1_with_the_422_detail() {
        Run r = sv("key", "create", "--sa", account(), "--expires-in-days", "99999");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("expires_in_days").contains("422");
    }

    @Test
    void both_expiries_or_no_owner_are_usage_errors() {
        String sa = account();
        assertThat(sv("key", "create", "--sa", sa, "--ttl", "60", "--expires-in-days", "1").exit()).isEqualTo(2);
        assertThat(sv("key", "create", "--name", "x").exit()).isEqualTo(2);
        assertThat(sv("key", "revoke", "--sa", sa).exit()).isEqualTo(2);
    }

    @Test
    void a_users_personal_keys_work_the_same_way() {
        Run r = sv("key", "create", "--user", "admin", "--name", unique("mine"), "-o", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        String id = r.json().get("id").asText();
        assertThat(sv("key", "list", "--user", "admin").out()).contains(id);
        assertThat(sv("key", "revoke", "--user", "admin", id).exit()).isZero();
    }
}
