// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.TestServer;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.TestDatabases.Engine;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract's refusal order: a caller without the permission gets 403 whatever it sent, so it
 * learns nothing about the body or query it would need (issue 14 item 15). And every /v1 route of
 * the server has a rule in the {@link RoutePermissions}, so a new route cannot go unguarded.
 */
class PermissionGateTest {
    static TestServer server;
    static String plain;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE, c -> c.withAccess(new dev.servitor.config.ServitorConfig.Access(
            c.access().instanceSizes(), 1_000_000, 1_000_000)));
        server.createServiceAccount("gate-plain");
        plain = server.createKey("gate-plain", "k");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void every_v1_route_of_the_server_has_a_rule_in_the_gate() {
        RoutePermissions gate = new RoutePermissions(server.servitor().authorizer());
        List<String> unguarded = new ArrayList<>();
        for (var route : server.routes()) {
            if (route.path().startsWith("/v1/") && !gate.covers(route.method(), route.path())) {
                unguarded.add(route.method() + " " + route.path());
            }
        }
        assertThat(unguarded).isEmpty();
    }

    /** Every /v1 route a plain service account may not call, with bodies and queries of every kind of wrong. */
    @Test
    void a_caller_without_the_permission_gets_403_whatever_body_or_query_it_sends() {
        String[] bodies = {"{", "{\"unknown_field\":1}", "{\"name\":42}", "[]", "\u0000", "{\"name\":\"x\",\"name\":\"y\"}"};
        List<String> wrong = new ArrayList<>();
        for (var route : server.routes()) {
            String key = route.method() + " " + route.path();
            if (!route.path().startsWith("/v1/") || RoutePermissions.OPEN.contains(key)) continue;
            String path = route.path().replace("{name}", "gate-plain").replace("{username}", "someone").replace("{ws}", "default")
                .replace("{key_id}", "key_x").replaceAll("\\{[a-z_]+\\}", "x") + "?page_token=garbage&page_size=-1&since=notatime&disabled=maybe";
            for (String body : bodies) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                    .header("Authorization", "Bearer " + plain).header("Content-Type", "application/json")
                    .method(route.method(), HttpRequest.BodyPublishers.ofString(body));
                Response r = server.send(b.build());
                if (r.status() != 403) wrong.add(key + " " + body + " -> " + r.status() + " " + r.body());
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void the_refusal_is_audited_as_denied_with_the_action_it_would_have_been() {
        server.post("/v1/groups", plain, "{\"unknown\":true}").expect(403);
        Response events = server.get("/v1/audit-events?outcome=denied&action=group.create", server.adminKey()).expect(200);
        assertThat(events.body()).contains("gate-plain@");
    }
}
