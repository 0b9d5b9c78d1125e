// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code servitor org policy set|show} against a real server (docs/cli.md). */
class OrgPolicyCommandsTest extends CliTest {
    @Test
    void set_changes_only_what_is_given_and_show_prints_it() {
        Run set = sv("org", "policy", "set", "--max-key-lifetime-days", "90", "--dormant-after-days", "30", "--on-leak", "notify",
            "--require-network-policy", "false", "-o", "json");
        assertThat(set.exit()).as(set.toString()).isZero();
        assertThat(set.json().get("max_key_lifetime_days").asInt()).isEqualTo(90);

        assertThat(sv("org", "policy", "set", "--on-leak", "revoke").exit()).isZero();
        JsonNode shown = sv("org", "policy", "show", "-o", "json").json();
        assertThat(shown.get("max_key_lifetime_days").asInt()).isEqualTo(90);
        assertThat(shown.get("dormant_after_days").asInt()).isEqualTo(30);
        assertThat(shown.get("on_leak").asText()).isEqualTo("revoke");
        assertThat(server.get("/v1/org", admin()).expect(200).json().get("credential_policy").get("max_key_lifetime_days").asInt())
            .isEqualTo(90);
        Run table = sv("org", "policy", "show");
        assertThat(table.rows().get(0)).startsWith("MAX_KEY_LIFETIME_DAYS", "DORMANT_AFTER_DAYS", "ON_LEAK", "REQUIRE_NETWORK_POLICY");

        assertThat(sv("org", "policy", "set", "--max-key-lifetime-days", "0").exit()).isZero();
        assertThat(sv("org", "policy", "show", "-o", "json").json().get("max_key_lifetime_days").isNull()).isTrue();
    }

    @Test
    void a_refused_value_exits_1_naming_the_field() {
        Run r = sv("org", "policy", "set", "--on-leak", "explode");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("on_leak");
    }
}
