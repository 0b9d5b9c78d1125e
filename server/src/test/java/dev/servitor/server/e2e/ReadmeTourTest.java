// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's tour, pasted into bash against a real server: documentation that cannot drift. */
class ReadmeTourTest {

    static String tour() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        String block = text.substring(text.indexOf("<!-- tour:start -->"), text.indexOf("<!-- tour:end -->"));
        return block.substring(block.indexOf("```bash") + "```bash".length(), block.lastIndexOf("```"));
    }

    @Test
    void the_tour_creates_an_account_mints_a_key_and_verifies_it() throws Exception {
        try (TestServer server = TestServer.start(Engine.SQLITE)) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", tour());
            pb.environment().put("SERVITOR_URL", server.url());
            pb.environment().put("SERVITOR_TOKEN", server.adminKey());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("\"name\":\"ci-bot\"").contains("\"valid\":true").contains("\"code\":\"VALID\"");
            assertThat(server.get("/v1/service-accounts/ci-bot/keys", server.adminKey()).json().get("keys").get(0)
                .get("name").asText()).isEqualTo("github-actions");
        }
    }
}
