// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Throws a few thousand mangled bodies and query strings (fixed seed, so a failure replays) at
 * every write endpoint: each must get a 2xx or a 4xx problem document naming what is wrong,
 * never a 500.
 */
class MalformedInputTest {
    static TestServer server;
    private static final String[] VALUES = {"null", "true", "false", "0", "-1", "1.5", "1e400", "\"\"", "\"x\"",
        "\"ci-bot\"", "[]", "[1]", "[\"a\"]", "{}", "{\"a\":1}", "\"read_write\"", "\"300\"", "\"-5\"", "99999999999999999999",
        "\"" + "y".repeat(70) + "\"", "\"\\u0000\"", "\"ünï\"", "315360000", "3650"};
    private static final String[] FIELDS = {"name", "description", "role", "groups", "network_policy", "is_org_admin",
        "issue_key", "type", "token_type", "ttl", "ttl_seconds", "expires_in_days", "grace_seconds", "credential",
        "permission", "ip", "extra"};
    private static final String[] PATHS = {"/v1/service-accounts", "/v1/service-accounts/fuzz", "/v1/service-accounts/fuzz/keys",
        "/v1/service-accounts/fuzz/disable", "/v1/users/admin/keys", "/v1/verify", "/v1/service-accounts/fuzz/keys/key_x/rotate"};

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE);
        server.createServiceAccount("fuzz");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String randomBody(Random r) {
        if (r.nextInt(10) == 0) {
            String[] raw = {"{", "}", "{\"name\":", "nul", "[", "\"str\"", "{\"name\":\"a\",}", "{'name':'a'}", "\u0000", "{\"a\":1}{"};
            return raw[r.nextInt(raw.length)];
        }
        List<String> members = new ArrayList<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            members.add("\"" + FIELDS[r.nextInt(FIELDS.length)] + "\":" + VALUES[r.nextInt(VALUES.length)]);
        }
        return "{" + String.join(",", members) + "}";
    }

    @Test
    void no_input_ever_causes_a_server_error() {
        Random r = new Random(20261124);
        for (int i = 0; i < 1500; i++) {
            String path = PATHS[r.nextInt(PATHS.length)];
            String method = r.nextInt(6) == 0 ? "PATCH" : "POST";
            if (method.equals("PATCH")) path = "/v1/service-accounts/fuzz";
            String body = randomBody(r);
            TestServer.Response resp = server.call(method, path, server.adminKey(), body);
            assertThat(resp.status()).as(method + " " + path + " " + body + " -> " + resp.body()).isLessThan(500);
            if (resp.status() >= 400) {
                assertThat(resp.header("Content-Type")).startsWith("application/problem+json");
            }
            if (resp.status() == 200 && path.equals("/v1/service-accounts/fuzz") && !server.get(path, server.adminKey()).json()
                    .get("name").asText().equals("fuzz")) {
                server.patch("/v1/service-accounts/" + resp.json().get("name").asText(), server.adminKey(), "{\"name\":\"fuzz\"}").expect(200);
            }
            if (r.nextInt(20) == 0) {
                server.post("/v1/service-accounts/fuzz/enable", server.adminKey(), null).expect(200);
            }
        }
        String[] queries = {"page_size=-1", "page_size=99999999999", "page_token=!!", "page_token=bm9wZQ", "disabled=1", "q=%00",
            "q=" + "z".repeat(300), "role=%27;drop", "since=2026-13-01T00:00:00Z", "until=now"};
        for (String q : queries) {
            for (String p : new String[] {"/v1/service-accounts?", "/v1/audit-events?"}) {
                assertThat(server.get(p + q, server.adminKey()).status()).as(p + q).isLessThan(500);
            }
        }
    }
}
