// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CLI keeps its login: under {@code $XDG_CONFIG_HOME}, else {@code $HOME}, as the user's environment says. */
class CliConfigLocationTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Run(int code, String output) {}

    /** {@code servitor args...} as a process with exactly {@code env} for HOME and XDG_CONFIG_HOME, and no SERVITOR_ variables. */
    private static Run servitor(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "dev.servitor.server.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SERVITOR_") || k.equals("HOME") || k.equals("XDG_CONFIG_HOME"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void the_login_goes_under_home_and_later_commands_find_it_there(@TempDir Path tmp) throws Exception {
        Map<String, String> env = Map.of("HOME", tmp.toString());
        Run login = servitor(env, "login", "--url", server.url(), "--token", server.adminKey());
        assertThat(login.code()).as(login.output()).isZero();
        Path file = tmp.resolve(".config/servitor/config.properties");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        Run whoami = servitor(env, "whoami");
        assertThat(whoami.code()).as(whoami.output()).isZero();
        assertThat(whoami.output()).contains("admin");
    }

    @Test
    void xdg_config_home_wins_over_home(@TempDir Path tmp) throws Exception {
        Path home = Files.createDirectory(tmp.resolve("home"));
        Path xdg = Files.createDirectory(tmp.resolve("xdg"));
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", xdg.toString());
        Run login = servitor(env, "login", "--url", server.url(), "--token", server.adminKey());
        assertThat(login.code()).as(login.output()).isZero();
        assertThat(xdg.resolve("servitor/config.properties")).exists();
        assertThat(home.resolve(".config")).doesNotExist();

        assertThat(servitor(env, "whoami").output()).contains("admin");
        Run elsewhere = servitor(Map.of("HOME", home.toString()), "whoami");
        assertThat(elsewhere.code()).as("another XDG_CONFIG_HOME has no login: " + elsewhere.output()).isNotZero();
    }
}
