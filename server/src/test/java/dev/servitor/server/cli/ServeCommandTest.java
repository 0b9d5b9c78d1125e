// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.crypto.SecretFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `servitor serve` and `servitor admin-token` as a user runs them: a real process, real stdout. */
class ServeCommandTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    record Run(Process process, List<String> lines, String url) {}

    private static Run serve(Path dataDir, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "dev.servitor.server.Main", "serve", "--port", "0",
            "--data-dir", dataDir.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("SERVITOR_"));
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) return new Run(p, lines, m.group(1));
        }
        throw new AssertionError("server did not start: " + lines);
    }

    private static int whoami(String url, String key) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url + "/v1/whoami")).header("Authorization", "Bearer " + key).build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void stop(Run run) throws InterruptedException {
        run.process().destroy();
        run.process().waitFor(20, TimeUnit.SECONDS);
    }

    @Test
    void first_start_prints_the_admin_key_once_and_later_starts_never_do(@TempDir Path data) throws Exception {
        Run first = serve(data, Map.of());
        String printed = first.lines().stream().filter(l -> l.startsWith("Admin API key: ")).findFirst().orElseThrow()
            .substring("Admin API key: ".length());
        assertThat(first.lines()).anyMatch(l -> l.contains("will not be shown again"));
        assertThat(SecretFormat.isWellFormed(printed, "svt")).isTrue();
        assertThat(whoami(first.url(), printed)).isEqualTo(200);
        stop(first);

        Run second = serve(data, Map.of("SERVITOR_ADMIN_TOKEN", SecretFormat.generate("svt")));
        assertThat(second.lines()).noneMatch(l -> l.contains("Admin API key"));
        assertThat(whoami(second.url(), printed)).isEqualTo(200);
        stop(second);
    }

    @Test
    void a_given_admin_token_becomes_the_key_and_is_not_printed(@TempDir Path data) throws Exception {
        String token = SecretFormat.generate("svt");
        Run run = serve(data, Map.of("SERVITOR_ADMIN_TOKEN", token));
        assertThat(String.join("\n", run.lines())).doesNotContain(token).doesNotContain("Admin API key");
        assertThat(whoami(run.url(), token)).isEqualTo(200);
        stop(run);
    }

    @Test
    void a_malformed_admin_token_stops_start_up_with_a_clear_message(@TempDir Path data) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "dev.servitor.server.Main", "serve", "--port", "0",
            "--data-dir", data.toString());
        pb.environment().put("SERVITOR_ADMIN_TOKEN", "svt_not-a-real-key");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).contains("SERVITOR_ADMIN_TOKEN").contains("servitor admin-token").doesNotContain("svt_not-a-real-key");
        assertThat(Files.exists(data.resolve("servitor.db"))).isFalse();
    }

    @Test
    void a_training_run_answers_its_calls_ignores_the_environment_and_leaves_nothing_behind(@TempDir Path tmp) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), "dev.servitor.server.Main",
            "serve", "--train-and-exit");
        pb.environment().keySet().removeIf(k -> k.startsWith("SERVITOR_"));
        // were the environment read, the start would fail on this store or on this malformed admin token
        pb.environment().put("SERVITOR_DB_URL", "jdbc:postgresql://127.0.0.1:1/nowhere");
        pb.environment().put("SERVITOR_ADMIN_TOKEN", "svt_not-a-real-key");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("training run:").doesNotContain("Admin API key");
        try (var left = Files.list(tmp)) {
            assertThat(left).as("the training run's temporary store is deleted").isEmpty();
        }
    }

    record Exit(int code, String stdout, String stderr) {}

    /** Runs {@code servitor serve args...} to its exit (it must not start serving). */
    private static Exit serveToExit(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "dev.servitor.server.Main", "serve"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("SERVITOR_"));
        Path err = Files.createTempFile("serve", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("serve did not exit: " + out);
        }
        String stderr = Files.readString(err);
        Files.delete(err);
        return new Exit(p.exitValue(), out, stderr);
    }

    @Test
    void a_busy_port_stops_start_up_with_one_line_and_exit_code_2(@TempDir Path data) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Exit exit = serveToExit("--port", String.valueOf(busy.getLocalPort()), "--data-dir", data.toString());
            assertThat(exit.code()).as(exit.stderr()).isEqualTo(2);
            assertThat(exit.stderr().strip().lines()).as(exit.stderr()).hasSize(1)
                .allMatch(l -> l.contains("port " + busy.getLocalPort()) && l.contains("in use"));
            assertThat(exit.stdout()).isEmpty();
            assertThat(Files.exists(data.resolve("servitor.db"))).as("the store is not opened").isFalse();
        }
    }

    @Test
    void a_read_only_data_dir_stops_start_up_with_one_line_naming_it(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        boolean mounted = readOnly(data);
        try {
            Exit exit = serveToExit("--port", "0", "--data-dir", data.toString());
            assertThat(exit.code()).as(exit.stderr()).isEqualTo(2);
            assertThat(exit.stderr().strip().lines()).as(exit.stderr()).hasSize(1)
                .allMatch(l -> l.contains(data.toAbsolutePath().toString()) && l.contains("not writable"));
        } finally {
            if (mounted) new ProcessBuilder("umount", data.toString()).inheritIO().start().waitFor();
        }
    }

    /**
     * Makes {@code dir} read-only: for root, whom permissions do not stop, by mounting a read-only
     * tmpfs on it (true: unmount it after); for anyone else by its permissions.
     */
    private static boolean readOnly(Path dir) throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
            Assumptions.assumeTrue(mount.waitFor() == 0, "root may not mount here: " + new String(mount.getInputStream().readAllBytes()));
            return true;
        }
        assertThat(dir.toFile().setWritable(false, false)).isTrue();
        return false;
    }

    @Test
    void admin_token_prints_a_fresh_well_formed_key() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "dev.servitor.server.Main", "admin-token").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(SecretFormat.isWellFormed(out, "svt")).isTrue();
    }
}
