// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** /v1/service-accounts, grouped by the status each behaviour answers with. */
abstract class ServiceAccountsContract extends ApiContract {

    private Response create(String body) {
        return server.post("/v1/service-accounts", admin(), body);
    }

    private int countAccounts() {
        return server.get("/v1/service-accounts?page_size=1000", admin()).expect(200).json().get("service_accounts").size();
    }

    private static void assertProblem(Response r, int status, String code, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("code").asText()).isEqualTo(code);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        assertThat(p.get("type").asText()).endsWith(code);
        if (field != null) assertThat(p.get("field").asText()).isEqualTo(field);
    }

    @Nested
    class Created201 {
        @Test
        void create_returns_the_account_with_its_synthetic_email_and_defaults() {
            String name = unique("ci-bot");
            JsonNode sa = create("{\"name\":\"" + name + "\",\"description\":\"CI\"}").expect(201).json();
            assertThat(sa.get("id").asText()).startsWith("sa_");
            assertThat(sa.get("name").asText()).isEqualTo(name);
            assertThat(sa.get("email").asText()).isEqualTo(name + "@default.sa.servitor.local");
            assertThat(sa.get("description").asText()).isEqualTo("CI");
            assertThat(sa.get("role").asText()).isEqualTo("user");
            assertThat(sa.get("is_org_admin").asBoolean()).isFalse();
            assertThat(sa.get("disabled").asBoolean()).isFalse();
            assertThat(sa.get("key_count").asInt()).isZero();
            assertThat(sa.get("created_by").asText()).isEqualTo("admin@localhost");
            assertThat(sa.has("key")).isFalse();
        }

        @Test
        void issue_key_returns_a_working_key_once() {
            String name = unique("deployer");
            JsonNode sa = create("{\"name\":\"" + name + "\",\"issue_key\":true}").expect(201).json();
            assertThat(sa.get("key").get("name").asText()).isEqualTo("default");
            String secret = sa.get("key").get("key").asText();
            JsonNode me = server.get("/v1/whoami", secret).expect(200).json();
            assertThat(me.get("principal").get("type").asText()).isEqualTo("service_account");
            assertThat(me.get("principal").get("name").asText()).isEqualTo(name);
            assertThat(server.get("/v1/service-accounts/" + name, admin()).expect(200).body()).doesNotContain(secret);
        }
    }

    @Nested
    class Ok200 {
        @Test
        void if_not_exists_returns_the_existing_account() {
            String name = unique("idem");
            String id = create("{\"name\":\"" + name + "\"}").expect(201).json().get("id").asText();
            Response again = server.post("/v1/service-accounts?if_not_exists=true", admin(), "{\"name\":\"" + name + "\"}");
            assertThat(again.expect(200).json().get("id").asText()).isEqualTo(id);
        }

        @Test
        void list_pages_through_every_account_once_in_name_order() {
            String prefix = unique("page");
            for (int i = 0; i < 5; i++) server.createServiceAccount(prefix + "-" + i);
            List<String> seen = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                JsonNode page = server.get("/v1/service-accounts?q=" + prefix + "&page_size=2"
                    + (token == null ? "" : "&page_token=" + token), admin()).expect(200).json();
                page.get("service_accounts").forEach(sa -> seen.add(sa.get("name").asText()));
                token = page.has("next_page_token") ? page.get("next_page_token").asText() : null;
                pages++;
            } while (token != null);
            assertThat(pages).isEqualTo(3);
            assertThat(seen).containsExactly(prefix + "-0", prefix + "-1", prefix + "-2", prefix + "-3", prefix + "-4");
        }

        @Test
        void list_filters_by_role_and_disabled() {
            String a = unique("viewer");
            create("{\"name\":\"" + a + "\",\"role\":\"viewer\"}").expect(201);
            server.post("/v1/service-accounts/" + a + "/disable", admin(), null).expect(200);
            JsonNode viewers = server.get("/v1/service-accounts?role=viewer&disabled=true", admin()).expect(200).json();
            assertThat(viewers.get("service_accounts")).extracting(n -> n.get("name").asText()).contains(a);
            viewers.get("service_accounts").forEach(n -> {
                assertThat(n.get("role").asText()).isEqualTo("viewer");
                assertThat(n.get("disabled").asBoolean()).isTrue();
            });
            JsonNode enabled = server.get("/v1/service-accounts?disabled=false&page_size=1000", admin()).expect(200).json();
            assertThat(enabled.get("service_accounts")).extracting(n -> n.get("name").asText()).doesNotContain(a);
        }

        @Test
        void rename_keeps_the_keys_working() {
            String name = unique("old");
            server.createServiceAccount(name);
            String key = server.createKey(name, "k");
            String renamed = unique("new");
            JsonNode sa = server.patch("/v1/service-accounts/" + name, admin(),
                "{\"name\":\"" + renamed + "\",\"role\":\"contributor\",\"description\":\"d\"}").expect(200).json();
            assertThat(sa.get("name").asText()).isEqualTo(renamed);
            assertThat(sa.get("role").asText()).isEqualTo("contributor");
            JsonNode me = server.get("/v1/whoami", key).expect(200).json();
            assertThat(me.get("principal").get("name").asText()).isEqualTo(renamed);
            assertThat(me.get("principal").get("email").asText()).startsWith(renamed + "@");
            server.get("/v1/service-accounts/" + name, admin()).expect(404);
        }

        @Test
        void disable_stops_every_key_at_once_and_enable_restores_them() {
            String name = unique("pausable");
            server.createServiceAccount(name);
            String k1 = server.createKey(name, "a");
            String k2 = server.createKey(name, "b");
            assertThat(status(k1)).isEqualTo(200);
            JsonNode disabled = server.post("/v1/service-accounts/" + name + "/disable", admin(), null).expect(200).json();
            assertThat(disabled.get("disabled").asBoolean()).isTrue();
            assertThat(status(k1)).isEqualTo(401);
            assertThat(status(k2)).isEqualTo(401);
            assertThat(verify(k1).get("code").asText()).isEqualTo("DISABLED");
            server.post("/v1/service-accounts/" + name + "/enable", admin(), "").expect(200);
            assertThat(status(k1)).isEqualTo(200);
            assertThat(verify(k2).get("code").asText()).isEqualTo("VALID");
        }
    }

    @Nested
    class NoContent204 {
        @Test
        void delete_revokes_every_key_at_once() {
            String name = unique("doomed");
            server.createServiceAccount(name);
            String key = server.createKey(name, "k");
            assertThat(status(key)).isEqualTo(200);
            server.delete("/v1/service-accounts/" + name, admin()).expect(204);
            assertThat(status(key)).isEqualTo(401);
            assertThat(verify(key).get("code").asText()).isEqualTo("REVOKED");
            server.get("/v1/service-accounts/" + name, admin()).expect(404);
        }
    }

    @Nested
    class BadRequest400 {
        @Test
        void malformed_json_names_the_body_and_creates_nothing() {
            int before = countAccounts();
            assertProblem(create("{\"name\": "), 400, "malformed_request", "body");
            assertProblem(create("[1,2]"), 400, "malformed_request", "body");
            assertThat(countAccounts()).isEqualTo(before);
        }

        @Test
        void wrong_type_names_the_field() {
            assertProblem(create("{\"name\": 5}"), 400, "invalid_type", "name");
            assertProblem(create("{\"name\": \"x\", \"is_org_admin\": \"yes\"}"), 400, "invalid_type", "is_org_admin");
            assertProblem(create("{\"name\": \"x\", \"groups\": \"ci\"}"), 400, "invalid_type", "groups");
        }

        @Test
        void unknown_field_is_named() {
            assertProblem(create("{\"name\": \"x\", \"colour\": \"red\"}"), 400, "unknown_field", "colour");
        }

        @Test
        void bad_paging_is_named() {
            assertProblem(server.get("/v1/service-accounts?page_size=abc", admin()), 400, "invalid_type", "page_size");
            assertProblem(server.get("/v1/service-accounts?page_token=%25%25", admin()), 400, "invalid_page_token", "page_token");
            assertProblem(server.get("/v1/service-accounts?disabled=maybe", admin()), 400, "invalid_type", "disabled");
        }
    }

    @Nested
    class Forbidden403 {
        @Test
        void a_plain_service_account_cannot_manage_accounts_and_the_refusal_is_audited() {
            String name = unique("plain");
            server.createServiceAccount(name);
            String key = server.createKey(name, "k");
            assertProblem(server.get("/v1/service-accounts", key), 403, "forbidden", null);
            assertProblem(server.post("/v1/service-accounts", key, "{\"name\":\"sneaky\"}"), 403, "forbidden", null);
            server.get("/v1/service-accounts/sneaky", admin()).expect(404);
            JsonNode events = server.get("/v1/audit-events?outcome=denied&actor=" + name + "@default.sa.servitor.local", admin())
                .expect(200).json().get("audit_events");
            assertThat(events).extracting(e -> e.get("outcome").asText()).contains("denied");
        }

        @Test
        void an_org_admin_service_account_may_manage_accounts() {
            String name = unique("admin-bot");
            create("{\"name\":\"" + name + "\",\"is_org_admin\":true}").expect(201);
            String key = server.createKey(name, "k");
            server.post("/v1/service-accounts", key, "{\"name\":\"" + unique("made-by-bot") + "\"}").expect(201);
        }
    }

    @Nested
    class NotFound404 {
        @Test
        void unknown_account_is_404_with_a_problem() {
            assertProblem(server.get("/v1/service-accounts/nobody-here", admin()), 404, "service_account_not_found", null);
            assertProblem(server.patch("/v1/service-accounts/nobody-here", admin(), "{}"), 404, "service_account_not_found", null);
            assertProblem(server.delete("/v1/service-accounts/nobody-here", admin()), 404, "service_account_not_found", null);
        }

        @Test
        void unknown_endpoint_is_404_with_a_problem() {
            assertProblem(server.get("/v1/no-such-thing", admin()), 404, "not_found", null);
        }
    }

    @Nested
    class Conflict409 {
        @Test
        void a_taken_name_is_refused() {
            String name = unique("twin");
            server.createServiceAccount(name);
            assertProblem(create("{\"name\":\"" + name + "\"}"), 409, "service_account_exists", "name");
            String other = unique("other");
            server.createServiceAccount(other);
            assertProblem(server.patch("/v1/service-accounts/" + other, admin(), "{\"name\":\"" + name + "\"}"),
                409, "service_account_exists", "name");
        }
    }

    @Nested
    class PayloadTooLarge413 {
        @Test
        void a_body_over_one_mebibyte_is_refused_and_nothing_is_created() {
            int before = countAccounts();
            String huge = "{\"name\":\"big\",\"description\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
            assertProblem(create(huge), 413, "payload_too_large", null);
            assertThat(countAccounts()).isEqualTo(before);
        }
    }

    @Nested
    class Unprocessable422 {
        @Test
        void names_outside_the_rule_are_refused_and_nothing_changes() {
            int before = countAccounts();
            for (String bad : List.of("has space", "-leading-dash", "", "x".repeat(64), "ünïcode", "semi;colon")) {
                assertProblem(create("{\"name\":\"" + bad + "\"}"), 422, "invalid_name", "name");
            }
            assertThat(countAccounts()).isEqualTo(before);
            server.createServiceAccount("x".repeat(63));
        }

        @Test
        void missing_name_unknown_role_and_unknown_group_are_named() {
            assertProblem(create("{}"), 422, "missing_field", "name");
            assertProblem(create("{\"name\":\"r1\",\"role\":\"emperor\"}"), 422, "unknown_role", "role");
            assertProblem(create("{\"name\":\"r1\",\"groups\":[\"nope\"]}"), 422, "unknown_group", "groups");
            assertProblem(server.get("/v1/service-accounts?page_size=0", admin()), 422, "invalid_value", "page_size");
            assertProblem(server.get("/v1/service-accounts?page_size=1001", admin()), 422, "invalid_value", "page_size");
        }

        @Test
        void a_bad_patch_changes_nothing() {
            String name = unique("steady");
            server.createServiceAccount(name);
            assertProblem(server.patch("/v1/service-accounts/" + name, admin(), "{\"description\":\"new\",\"role\":\"emperor\"}"),
                422, "unknown_role", "role");
            JsonNode sa = server.get("/v1/service-accounts/" + name, admin()).expect(200).json();
            assertThat(sa.get("description").asText()).isEmpty();
            assertThat(sa.get("role").asText()).isEqualTo("user");
        }
    }
}
