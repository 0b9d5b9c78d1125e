// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.Servitor;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.config.ConfigKeys;
import dev.servitor.server.config.ConfigLoader;
import dev.servitor.server.http.ApiServer;
import dev.servitor.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code servitor serve --train-and-exit}: starts a throwaway server (default settings, SQLite in
 * a temporary directory, a free loopback port), walks the main calls of the API against it once
 * — a key issued and verified, a client secret, a token grant and its introspection, SQL, a list,
 * metrics — and stops. Run under {@code -XX:ArchiveClassesAtExit} it leaves a class-data archive
 * of everything a real start and its first requests load; the {@code ./servitor} launcher does
 * that once per jar build and JDK, so that every start, including the first on a new data dir,
 * maps those classes instead of loading and verifying them (bench/LOG.md, "Start-up and
 * memory"). Nothing from the environment or a config file applies, and nothing is left behind.
 */
final class TrainingRun {
    private static final String ACCOUNT = "training-run";
    private final String url;
    private final String adminKey;
    private final List<String> failures = new ArrayList<>();

    private TrainingRun(String url, String adminKey) {
        this.url = url;
        this.adminKey = adminKey;
    }

    /** 0 when every call answered as expected; otherwise 1, with each unexpected answer on stderr. */
    static int run() {
        Path dir;
        try {
            dir = Files.createTempDirectory("servitor-training-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ServitorConfig config = ConfigLoader.load(null, Map.of(),
                Map.of(ConfigKeys.DATA_DIR, dir.resolve("data").toString(), ConfigKeys.HOST, "127.0.0.1", ConfigKeys.PORT, "0"));
            try (Servitor servitor = Servitor.start(config, Clock.systemUTC());
                 ApiServer server = new ApiServer(servitor).start(config.http().host(), config.http().port())) {
                TrainingRun walk = new TrainingRun("http://127.0.0.1:" + server.port(), servitor.generatedAdminKey().orElseThrow());
                walk.walk();
                walk.failures.forEach(System.err::println);
                return walk.failures.isEmpty() ? 0 : 1;
            }
        } finally {
            deleteQuietly(dir);
        }
    }

    private void walk() {
        call("GET", "/readyz", null, null, 200);
        JsonNode account = json("POST", "/v1/service-accounts", "{\"name\":\"" + ACCOUNT + "\",\"issue_key\":true}", 201);
        String key = account.path("key").path("key").asText();
        json("POST", "/v1/verify", "{\"credential\":\"" + key + "\"}", 200);
        json("POST", "/v1/verify", "{\"credential\":\"svt_not_a_key\"}", 200);
        call("GET", "/v1/whoami", key, null, 200);
        JsonNode secret = json("POST", "/v1/service-accounts/" + ACCOUNT + "/secret", "{}", 201);
        JsonNode token = form("/oauth/token", 200, "grant_type", "client_credentials",
            "client_id", secret.path("client_id").asText(), "client_secret", secret.path("client_secret").asText());
        form("/oauth/introspect", 200, "token", token.path("access_token").asText());
        json("POST", "/v1/sql", "{\"sql\":\"SHOW SERVICE ACCOUNTS\"}", 200);
        call("GET", "/v1/service-accounts?q=train", null, null, 200);
        call("GET", "/metrics", null, null, 200);
        call("DELETE", "/v1/service-accounts/" + ACCOUNT, null, null, 204);
    }

    private JsonNode json(String method, String path, String body, int expected) {
        return call(method, path, null, new Body("application/json", body), expected);
    }

    private JsonNode form(String path, int expected, String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) b.append('&');
            b.append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return call("POST", path, null, new Body("application/x-www-form-urlencoded", b.toString()), expected);
    }

    private record Body(String contentType, String text) {}

    /** One request as the admin, or as {@code bearer} when given; the answer's JSON, or a missing node. */
    private JsonNode call(String method, String path, String bearer, Body body, int expected) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url + path).toURL().openConnection();
            c.setRequestMethod(method);
            c.setRequestProperty("Authorization", "Bearer " + (bearer != null ? bearer : adminKey));
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", body.contentType());
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body.text().getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
                if (status != expected) failures.add("training run: " + method + " " + path + " answered " + status + ", not " + expected);
                boolean json = bytes.length > 0 && String.valueOf(c.getContentType()).startsWith("application/json");
                return json ? Json.MAPPER.readTree(bytes) : Json.MAPPER.missingNode();
            }
        } catch (IOException e) {
            failures.add("training run: " + method + " " + path + " failed: " + e);
            return Json.MAPPER.missingNode();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the OS cleans up what is left
        }
    }
}
