// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** /v1/service-accounts/{name}/instances: a service account's compute settings, MotherDuck's shape. */
abstract class InstancesContract extends ApiContract {

    private static String body(String rw, String rs, Object flock) {
        return "{\"config\":{\"read_write\":{\"instance_size\":\"" + rw + "\"},\"read_scaling\":{\"instance_size\":\"" + rs
            + "\",\"flock_size\":" + flock + "}}}";
    }

    private String account() {
        String name = unique("duckling");
        server.createServiceAccount(name);
        return name;
    }

    private Response put(String sa, String body) {
        return server.call("PUT", "/v1/service-accounts/" + sa + "/instances", admin(), body);
    }

    private static void assertProblem(Response r, int status, String code, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo(code);
        if (field != null) assertThat(r.json().get("field").asText()).isEqualTo(field);
    }

    @Nested
    class Ok200 {
        @Test
        void before_any_put_the_defaults_are_answered() {
            JsonNode c = server.get("/v1/service-accounts/" + account() + "/instances", admin()).expect(200).json().get("config");
            assertThat(c.at("/read_write/instance_size").asText()).isEqualTo("standard");
            assertThat(c.at("/read_scaling/instance_size").asText()).isEqualTo("standard");
            assertThat(c.at("/read_scaling/flock_size").asInt()).isEqualTo(1);
        }

        @Test
        void a_put_is_read_back_whole() {
            String sa = account();
            JsonNode put = put(sa, body("jumbo", "pulse", 16)).expect(200).json();
            JsonNode got = server.get("/v1/service-accounts/" + sa + "/instances", admin()).expect(200).json();
            assertThat(got).isEqualTo(put);
            assertThat(got.at("/config/read_write/instance_size").asText()).isEqualTo("jumbo");
            assertThat(got.at("/config/read_scaling/instance_size").asText()).isEqualTo("pulse");
            assertThat(got.at("/config/read_scaling/flock_size").asInt()).isEqualTo(16);
            put(sa, body("giga", "mega", 3)).expect(200);
            assertThat(server.get("/v1/service-accounts/" + sa + "/instances", admin()).json().at("/config/read_write/instance_size")
                .asText()).isEqualTo("giga");
        }

        @Test
        void a_put_is_audited() {
            String sa = account();
            put(sa, body("mega", "pulse", 2)).expect(200);
            JsonNode events = server.get("/v1/audit-events?action=compute.update&target=service_account:" + sa, admin()).expect(200).json();
            assertThat(events.toString()).contains("compute.update", "mega");
        }

        @Test
        void deleting_the_account_deletes_its_settings() {
            String sa = account();
            put(sa, body("jumbo", "jumbo", 4)).expect(200);
            server.delete("/v1/service-accounts/" + sa, admin()).expect(204);
            server.createServiceAccount(sa);
            assertThat(server.get("/v1/service-accounts/" + sa + "/instances", admin()).expect(200).json()
                .at("/config/read_write/instance_size").asText()).isEqualTo("standard");
        }
    }

    @Nested
    class Unprocessable422 {
        @Test
        void a_partial_body_names_the_missing_member() {
            String sa = account();
            assertProblem(put(sa, "{}"), 422, "missing_field", "config");
            assertProblem(put(sa, "{\"config\":{\"read_write\":{\"instance_size\":\"jumbo\"}}}"), 422, "missing_field",
                "config.read_scaling");
            assertProblem(put(sa, "{\"config\":{\"read_scaling\":{\"instance_size\":\"pulse\",\"flock_size\":2}}}"), 422,
                "missing_field", "config.read_write");
            assertProblem(put(sa, "{\"config\":{\"read_write\":{\"instance_size\":\"jumbo\"},\"read_scaling\":{\"instance_size\":\"pulse\"}}}"),
                422, "missing_field", "config.read_scaling.flock_size");
            assertProblem(put(sa, "{\"config\":{\"read_write\":{},\"read_scaling\":{\"instance_size\":\"pulse\",\"flock_size\":1}}}"),
                422, "missing_field", "config.read_write.instance_size");
        }

        @Test
        void an_unknown_size_is_422() {
            String sa = account();
            assertProblem(put(sa, body("colossal", "pulse", 1)), 422, "invalid_value", "config.read_write.instance_size");
            assertProblem(put(sa, body("pulse", "Jumbo", 1)), 422, "invalid_value", "config.read_scaling.instance_size");
        }

        @Test
        void a_flock_size_outside_1_to_16_is_422() {
            String sa = account();
            for (Object flock : new Object[] {0, 17, -1, 99999999999L}) {
                assertProblem(put(sa, body("pulse", "pulse", flock)), 422, "invalid_value", "config.read_scaling.flock_size");
            }
            assertThat(server.get("/v1/service-accounts/" + sa + "/instances", admin()).json()
                .at("/config/read_scaling/flock_size").asInt()).isEqualTo(1);
        }
    }

    @Nested
    class Refused {
        @Test
        void a_wrong_type_is_400_and_an_unknown_member_is_400() {
            String sa = account();
            assertProblem(put(sa, body("pulse", "pulse", "\"2\"")), 400, "invalid_type", "config.read_scaling.flock_size");
            assertProblem(put(sa, "{\"config\":{\"read_write\":{\"instance_size\":\"pulse\",\"x\":1},\"read_scaling\":"
                + "{\"instance_size\":\"pulse\",\"flock_size\":1}}}"), 400, "unknown_field", "config.read_write.x");
        }

        @Test
        void an_unknown_account_is_404() {
            assertProblem(server.get("/v1/service-accounts/nobody-here/instances", admin()), 404, "service_account_not_found", null);
            assertProblem(put("nobody-here", body("pulse", "pulse", 1)), 404, "service_account_not_found", null);
        }

        @Test
        void only_org_admins_read_or_change_compute() {
            String sa = account();
            String key = server.createKey(sa, "k");
            assertProblem(server.get("/v1/service-accounts/" + sa + "/instances", key), 403, "forbidden", null);
            assertProblem(server.call("PUT", "/v1/service-accounts/" + sa + "/instances", key, body("pulse", "pulse", 1)), 403,
                "forbidden", null);
        }
    }
}
