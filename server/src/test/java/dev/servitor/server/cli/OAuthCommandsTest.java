// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code secret generate}, {@code token} and {@code sa impersonate}: secrets and tokens printed once, and they work. */
class OAuthCommandsTest extends CliTest {

    @Test
    void a_generated_secret_buys_a_token_that_acts_as_the_account() {
        String name = unique("oauth");
        sv("sa", "create", name);
        Run secret = sv("secret", "generate", name, "-o", "json");
        assertThat(secret.exit()).as(secret.toString()).isZero();
        assertThat(secret.err()).contains("cannot be shown again");
        String clientId = secret.json().get("client_id").asText();
        String clientSecret = secret.json().get("client_secret").asText();
        assertThat(clientSecret).startsWith("svs_");

        Run token = raw("--url", server.url(), "token", "--client-id", clientId, "--client-secret", clientSecret, "-o", "json");
        assertThat(token.exit()).as(token.toString()).isZero();
        assertThat(token.err()).contains("cannot be shown again");
        String accessToken = token.json().get("access_token").asText();

        JsonNode who = as(accessToken, "whoami", "-o", "json").json();
        assertThat(who.get("principal").get("name").asText()).isEqualTo(name);
        assertThat(who.get("credential").get("kind").asText()).isEqualTo("access_token");
    }

    @Test
    void a_wrong_client_secret_exits_1_with_the_oauth_error() {
        String name = unique("oauth");
        String id = sv("sa", "create", name, "-o", "json").json().get("id").asText();
        sv("secret", "generate", name);
        Run r = raw("--url", server.url(), "token", "--client-id", id, "--client-secret", "svs_wrong");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("Error: ").contains("invalid_client");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void impersonation_prints_a_token_that_carries_the_admin_as_actor() {
        String name = unique("imp");
        sv("sa", "create", name);
        Run r = sv("sa", "impersonate", name);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.rows().get(0)).containsExactly("TOKEN_TYPE", "EXPIRES_IN", "ACCESS_TOKEN");
        String token = r.rows().get(1).get(2);
        assertThat(r.err()).contains("cannot be shown again").doesNotContain(token);
        Run who = as(token, "whoami");
        assertThat(who.exit()).as(who.toString()).isZero();
        assertThat(who.rows().get(1)).startsWith(name, "service_account");
        assertThat(who.out()).contains("admin@localhost");
    }
}
