// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Where --url, --token and -o come from: the line (nearest the verb first), then the environment, then the login file. */
class SettingsTest {
    @TempDir Path dir;
    private String before;

    @Command(name = "root", subcommands = Leaf.class)
    static final class Root implements Runnable {
        @Mixin GlobalOptions global;
        public void run() {}
    }

    @Command(name = "leaf")
    static final class Leaf implements Runnable {
        @Spec CommandSpec spec;
        @Mixin GlobalOptions global;
        Settings seen;
        public void run() { seen = Settings.resolve(spec); }
    }

    private static Settings run(String... args) {
        CommandLine cl = new CommandLine(new Root());
        assertThat(cl.execute(args)).isZero();
        return ((Leaf) cl.getSubcommands().get("leaf").getCommand()).seen;
    }

    @BeforeEach
    void pointConfigAtTempDir() {
        before = System.getProperty(CliConfig.PATH_PROPERTY);
        System.setProperty(CliConfig.PATH_PROPERTY, dir.resolve("servitor/config.properties").toString());
        assumeTrue(System.getenv("SERVITOR_URL") == null && System.getenv("SERVITOR_TOKEN") == null, "environment overrides");
    }

    @AfterEach
    void restore() {
        if (before == null) System.clearProperty(CliConfig.PATH_PROPERTY);
        else System.setProperty(CliConfig.PATH_PROPERTY, before);
    }

    @Test
    void defaults_without_anything() {
        Settings s = run("leaf");
        assertThat(s.url()).isEqualTo(Settings.DEFAULT_URL);
        assertThat(s.token()).isNull();
        assertThat(s.output()).isEqualTo(OutputFormat.table);
    }

    @Test
    void options_before_or_after_the_verb_and_the_nearest_wins() {
        assertThat(run("-o", "json", "leaf").output()).isEqualTo(OutputFormat.json);
        assertThat(run("leaf", "-o", "yaml").output()).isEqualTo(OutputFormat.yaml);
        assertThat(run("-o", "json", "--url", "http://a", "leaf", "-o", "yaml").output()).isEqualTo(OutputFormat.yaml);
        assertThat(run("--url", "http://a", "leaf").url()).isEqualTo("http://a");
    }

    @Test
    void the_login_file_is_0600_and_fills_in_what_the_line_does_not_give() throws Exception {
        Path saved = CliConfig.save("http://saved:1", "svt_saved");
        assertThat(Files.getPosixFilePermissions(saved)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(saved.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Settings s = run("leaf");
        assertThat(s.url()).isEqualTo("http://saved:1");
        assertThat(s.token()).isEqualTo("svt_saved");
        assertThat(s.toString()).doesNotContain("svt_saved");
        assertThat(run("--token", "svt_line", "leaf").token()).isEqualTo("svt_line");
    }

    @Test
    void saving_again_keeps_the_file_private() throws Exception {
        Path p = dir.resolve("servitor/config.properties");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "url=x\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        CliConfig.save("http://b", "svt_b");
        assertThat(Files.getPosixFilePermissions(p)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
}
