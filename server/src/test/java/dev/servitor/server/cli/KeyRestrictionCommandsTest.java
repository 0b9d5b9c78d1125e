// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code servitor key create|update} with per-key restrictions, against a real server. */
class KeyRestrictionCommandsTest extends CliTest {

    private String account() {
        String name = unique("restricted");
        assertThat(sv("sa", "create", name, "--role", "contributor").exit()).isZero();
        return name;
    }

    private static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void create_takes_every_restriction_and_the_key_is_held_to_them() {
        String sa = account();
        Run r = sv("key", "create", "--sa", sa, "--name", "narrow", "--permission", "deployments:read", "--permission", "verify",
            "--allow-ip", "10.0.0.0/8", "--allow-ip", "127.0.0.1", "--rate", "100/60s", "--uses", "1000", "--refill", "1000/day",
            "-o", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode k = r.json();
        JsonNode rs = k.get("restrictions");
        assertThat(texts(rs.get("permissions"))).containsExactly("deployments:read", "verify");
        assertThat(texts(rs.get("allowed_ips"))).containsExactly("10.0.0.0/8", "127.0.0.1");
        assertThat(rs.get("rate_limit").get("limit").asLong()).isEqualTo(100);
        assertThat(rs.get("rate_limit").get("period_seconds").asLong()).isEqualTo(60);
        assertThat(rs.get("remaining_uses").asLong()).isEqualTo(1000);
        assertThat(rs.get("refill").get("interval").asText()).isEqualTo("day");

        // the key acts with the intersection only (contributor holds neither verify nor org_admin)
        Run who = as(k.get("key").asText(), "whoami", "-o", "json");
        assertThat(who.exit()).as(who.toString()).isZero();
        assertThat(texts(who.json().get("permissions"))).containsExactly("deployments:read");

        Run list = sv("key", "list", "--sa", sa);
        assertThat(list.rows().get(0)).endsWith("RESTRICTIONS");
        assertThat(list.out()).contains("perms=deployments:read,verify ips=10.0.0.0/8,127.0.0.1 rate=100/60s uses=1000 refill=1000/day");
    }

    @Test
    void update_changes_what_it_names_clears_what_it_is_told_and_takes_effect_at_once() {
        String sa = account();
        JsonNode k = sv("key", "create", "--sa", sa, "--name", "k", "--allow-ip", "127.0.0.1", "--rate", "5/m", "-o", "json").json();
        String id = k.get("id").asText();
        String key = k.get("key").asText();
        assertThat(k.get("restrictions").get("rate_limit").get("period_seconds").asLong()).isEqualTo(60);
        assertThat(as(key, "whoami").exit()).isZero();

        Run moved = sv("key", "update", "--sa", sa, id, "--allow-ip", "10.0.0.0/8", "-o", "json");
        assertThat(moved.exit()).as(moved.toString()).isZero();
        assertThat(texts(moved.json().get("restrictions").get("allowed_ips"))).containsExactly("10.0.0.0/8");
        assertThat(moved.json().get("restrictions").get("rate_limit").get("limit").asLong()).as("kept").isEqualTo(5);
        assertThat(moved.out()).doesNotContain(key);
        Run refused = as(key, "whoami");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("403 ip_not_allowed");

        Run cleared = sv("key", "restrict", "--sa", sa, id, "--clear", "allowed_ips", "-o", "json");
        assertThat(cleared.exit()).as(cleared.toString()).isZero();
        assertThat(cleared.json().get("restrictions").has("allowed_ips")).isFalse();
        assertThat(as(key, "whoami").exit()).isZero();

        Run all = sv("key", "update", "--sa", sa, id, "--clear", "all", "--name", "free", "-o", "json");
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(all.json().has("restrictions")).isFalse();
        assertThat(all.json().get("name").asText()).isEqualTo("free");
    }

    @Test
    void malformed_options_exit_2_and_refusals_name_the_field() {
        String sa = account();
        assertThat(sv("key", "create", "--sa", sa, "--rate", "lots").exit()).isEqualTo(2);
        assertThat(sv("key", "create", "--sa", sa, "--refill", "5/week", "--uses", "5").exit()).isEqualTo(2);
        assertThat(sv("key", "update", "--sa", sa, "key_x").exit()).isEqualTo(2);
        assertThat(sv("key", "update", "--sa", sa, "key_x", "--clear", "everything").exit()).isEqualTo(2);
        Run bad = sv("key", "create", "--sa", sa, "--allow-ip", "10.0.0.0/8", "--allow-ip", "300.1.1.1");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("restrictions.allowed_ips[1]").contains("422 invalid_ip");
        Run refill = sv("key", "create", "--sa", sa, "--refill", "5/day");
        assertThat(refill.err()).contains("'restrictions.refill' needs 'restrictions.remaining_uses'");
        assertThat(sv("key", "list", "--sa", sa, "-o", "json").json()).isEmpty();
    }
}
