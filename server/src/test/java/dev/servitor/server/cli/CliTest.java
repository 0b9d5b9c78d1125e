// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servitor.cli.CliConfig;
import dev.servitor.server.Main;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.testing.TestDatabases.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import picocli.CommandLine;

/**
 * Base of the CLI tests: the real {@code servitor} root command run in-process with
 * {@code new CommandLine(new Main()).execute(args)} against a real server (SQLite), stdout and stderr captured.
 * The login config is pointed at a temporary file so that the user's own never leaks in.
 */
abstract class CliTest extends ApiContract {
    static final ObjectMapper JSON = new ObjectMapper();
    private String savedConfigProperty;
    protected Path configDir;

    /** What a run printed and returned. */
    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out, e);
            }
        }

        /** The table's rows, header first, each split on runs of two or more spaces. */
        List<List<String>> rows() {
            List<List<String>> rows = new ArrayList<>();
            for (String line : out.split("\n")) if (!line.isBlank()) rows.add(List.of(line.strip().split(" {2,}")));
            return rows;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @Override
    protected Engine engine() {
        return Engine.SQLITE;
    }

    @BeforeAll
    void isolateLoginConfig() throws IOException {
        savedConfigProperty = System.getProperty(CliConfig.PATH_PROPERTY);
        configDir = Files.createTempDirectory("servitor-cli-test");
        System.setProperty(CliConfig.PATH_PROPERTY, configDir.resolve("none/config.properties").toString());
    }

    @AfterAll
    void restoreLoginConfig() {
        if (savedConfigProperty == null) System.clearProperty(CliConfig.PATH_PROPERTY);
        else System.setProperty(CliConfig.PATH_PROPERTY, savedConfigProperty);
    }

    /** Runs {@code servitor ARGS} exactly as given. */
    static Run raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Runs {@code servitor --url URL --token ADMIN_KEY ARGS} against the test server. */
    Run sv(String... args) {
        return as(admin(), args);
    }

    /** Runs a command with another credential. */
    Run as(String token, String... args) {
        List<String> all = new ArrayList<>(List.of("--url", server.url(), "--token", token));
        all.addAll(List.of(args));
        return raw(all.toArray(String[]::new));
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
