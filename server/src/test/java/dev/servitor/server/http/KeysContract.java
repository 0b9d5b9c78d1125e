// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** API keys of service accounts and users, grouped by status. */
abstract class KeysContract extends ApiContract {

    private String account() {
        String name = unique("keyed");
        server.createServiceAccount(name);
        return name;
    }

    private Response createKey(String sa, String body) {
        return server.post("/v1/service-accounts/" + sa + "/keys", admin(), body);
    }

    private static void assertProblem(Response r, int status, String code, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("code").asText()).isEqualTo(code);
        if (field != null) assertThat(r.json().get("field").asText()).isEqualTo(field);
    }

    @Nested
    class Created201 {
        @Test
        void a_key_is_shown_once_in_the_documented_format_and_works() {
            String sa = account();
            JsonNode k = createKey(sa, "{\"name\":\"ci\",\"description\":\"for CI\"}").expect(201).json();
            String secret = k.get("key").asText();
            assertThat(secret).matches("svt_[0-9A-Za-z]{49}");
            assertThat(k.get("id").asText()).startsWith("key_");
            assertThat(k.get("type").asText()).isEqualTo("read_write");
            assertThat(k.get("expires_at").isNull()).isTrue();
            assertThat(k.get("description").asText()).isEqualTo("for CI");
            JsonNode me = server.get("/v1/whoami", secret).expect(200).json();
            assertThat(me.get("credential").get("id").asText()).isEqualTo(k.get("id").asText());
            assertThat(me.get("credential").get("kind").asText()).isEqualTo("api_key");
        }

        @Test
        void ttl_seconds_and_expires_in_days_set_the_expiry() {
            String sa = account();
            JsonNode a = createKey(sa, "{\"name\":\"a\",\"ttl_seconds\":300}").expect(201).json();
            assertThat(Duration.between(Instant.parse(a.get("created_at").asText()), Instant.parse(a.get("expires_at").asText())))
                .isEqualTo(Duration.ofSeconds(300));
            JsonNode b = createKey(sa, "{\"name\":\"b\",\"expires_in_days\":7}").expect(201).json();
            assertThat(Duration.between(Instant.parse(b.get("created_at").asText()), Instant.parse(b.get("expires_at").asText())))
                .isEqualTo(Duration.ofDays(7));
        }

        @Test
        void motherduck_aliases_ttl_as_digits_and_token_type_are_accepted() {
            String sa = account();
            JsonNode k = createKey(sa, "{\"name\":\"md\",\"token_type\":\"read_scaling\",\"ttl\":\"300\"}").expect(201).json();
            assertThat(k.get("type").asText()).isEqualTo("read_scaling");
            assertThat(Duration.between(Instant.parse(k.get("created_at").asText()), Instant.parse(k.get("expires_at").asText())))
                .isEqualTo(Duration.ofSeconds(300));
            JsonNode me = server.get("/v1/whoami", k.get("key").asText()).expect(200).json();
            assertThat(me.get("credential").get("type").asText()).isEqualTo("read_scaling");
        }

        @Test
        void rotate_with_grace_keeps_the_old_key_until_the_grace_ends() {
            String sa = account();
            JsonNode old = createKey(sa, "{\"name\":\"rot\",\"type\":\"read_scaling\"}").expect(201).json();
            String oldSecret = old.get("key").asText();
            JsonNode fresh = server.post("/v1/service-accounts/" + sa + "/keys/" + old.get("id").asText() + "/rotate", admin(),
                "{\"grace_seconds\":60}").expect(201).json();
            String newSecret = fresh.get("key").asText();
            assertThat(fresh.get("name").asText()).isEqualTo("rot");
            assertThat(fresh.get("type").asText()).isEqualTo("read_scaling");
            assertThat(status(oldSecret)).isEqualTo(200);
            assertThat(status(newSecret)).isEqualTo(200);
            server.clock().advance(Duration.ofSeconds(61));
            assertThat(status(oldSecret)).isEqualTo(401);
            assertThat(verify(oldSecret).get("code").asText()).isEqualTo("REVOKED");
            assertThat(status(newSecret)).isEqualTo(200);
        }

        @Test
        void rotate_without_grace_stops_the_old_key_at_once() {
            String sa = account();
            JsonNode old = createKey(sa, "{\"name\":\"rot0\"}").expect(201).json();
            String fresh = server.post("/v1/service-accounts/" + sa + "/keys/" + old.get("id").asText() + "/rotate", admin(), null)
                .expect(201).json().get("key").asText();
            assertThat(status(old.get("key").asText())).isEqualTo(401);
            assertThat(status(fresh)).isEqualTo(200);
        }

        @Test
        void a_user_manages_personal_keys_up_to_five() {
            // the bootstrap admin already holds one personal key
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statuses.add(server.post("/v1/users/admin/keys", admin(), "{\"name\":\"p" + i + "\"}").status());
            }
            assertThat(statuses).containsExactly(201, 201, 201, 201, 409);
            JsonNode keys = server.get("/v1/users/admin/keys", admin()).expect(200).json().get("keys");
            assertThat(keys).hasSize(5);
            // revoked keys no longer count
            server.delete("/v1/users/admin/keys/" + keys.get(4).get("id").asText(), admin()).expect(204);
            server.post("/v1/users/admin/keys", admin(), "{\"name\":\"again\"}").expect(201);
        }
    }

    @Nested
    class Ok200 {
        @Test
        void list_shows_live_keys_without_secrets_and_records_last_use() {
            String sa = account();
            String secret = createKey(sa, "{\"name\":\"listed\"}").expect(201).json().get("key").asText();
            server.get("/v1/whoami", secret).expect(200);
            server.servitor().lastUsed().flush();
            Response list = server.get("/v1/service-accounts/" + sa + "/keys", admin()).expect(200);
            assertThat(list.body()).doesNotContain(secret.substring(8));
            JsonNode k = list.json().get("keys").get(0);
            assertThat(k.has("key")).isFalse();
            assertThat(secret).startsWith(k.get("prefix").asText());
            assertThat(k.get("last_used_at").isNull()).isFalse();
            assertThat(k.get("last_used_ip").asText()).isEqualTo("127.0.0.1");
            assertThat(server.get("/v1/service-accounts/" + sa, admin()).json().get("key_count").asInt()).isEqualTo(1);
        }

        @Test
        void expired_keys_stop_working_and_leave_the_list() {
            String sa = account();
            String secret = createKey(sa, "{\"name\":\"short\",\"ttl_seconds\":10}").expect(201).json().get("key").asText();
            assertThat(status(secret)).isEqualTo(200);
            server.clock().advance(Duration.ofSeconds(11));
            assertThat(status(secret)).isEqualTo(401);
            assertThat(verify(secret).get("code").asText()).isEqualTo("EXPIRED");
            assertThat(server.get("/v1/service-accounts/" + sa + "/keys", admin()).json().get("keys")).isEmpty();
        }
    }

    @Nested
    class NoContent204 {
        @Test
        void revoking_one_key_leaves_the_others_working() {
            String sa = account();
            JsonNode a = createKey(sa, "{\"name\":\"a\"}").expect(201).json();
            String b = createKey(sa, "{\"name\":\"b\"}").expect(201).json().get("key").asText();
            server.delete("/v1/service-accounts/" + sa + "/keys/" + a.get("id").asText(), admin()).expect(204);
            assertThat(status(a.get("key").asText())).isEqualTo(401);
            assertThat(verify(a.get("key").asText()).get("code").asText()).isEqualTo("REVOKED");
            assertThat(status(b)).isEqualTo(200);
        }
    }

    @Nested
    class BadRequest400 {
        @Test
        void wrong_types_are_named() {
            String sa = account();
            assertProblem(createKey(sa, "{\"name\":\"x\",\"ttl\":\"five\"}"), 400, "invalid_type", "ttl");
            assertProblem(createKey(sa, "{\"name\":\"x\",\"ttl_seconds\":1.5}"), 400, "invalid_type", "ttl_seconds");
            assertProblem(createKey(sa, "{\"name\":\"x\",\"expires_in_days\":\"7\"}"), 400, "invalid_type", "expires_in_days");
            assertProblem(createKey(sa, "{\"name\":\"x\",\"secret\":\"mine\"}"), 400, "unknown_field", "secret");
        }
    }

    @Nested
    class NotFound404 {
        @Test
        void unknown_owner_or_key_is_404() {
            assertProblem(createKey("ghost-account", "{\"name\":\"x\"}"), 404, "service_account_not_found", null);
            String sa = account();
            assertProblem(server.delete("/v1/service-accounts/" + sa + "/keys/key_nope", admin()), 404, "key_not_found", null);
            assertProblem(server.post("/v1/service-accounts/" + sa + "/keys/key_nope/rotate", admin(), null), 404, "key_not_found", null);
            assertProblem(server.get("/v1/users/ghost/keys", admin()), 404, "user_not_found", null);
        }
    }

    @Nested
    class Conflict409 {
        @Test
        void under_100_concurrent_creates_exactly_50_succeed() throws Exception {
            String sa = account();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    go.await();
                    return createKey(sa, "{\"name\":\"c" + n + "\"}");
                }));
            }
            go.countDown();
            int created = 0;
            int refused = 0;
            for (Future<Response> f : results) {
                Response r = f.get();
                if (r.status() == 201) created++;
                else if (r.status() == 409 && r.json().get("code").asText().equals("key_limit_reached")) refused++;
            }
            pool.shutdown();
            assertThat(created).isEqualTo(50);
            assertThat(refused).isEqualTo(50);
            assertThat(server.get("/v1/service-accounts/" + sa + "/keys", admin()).json().get("keys")).hasSize(50);
        }
    }

    @Nested
    class Unprocessable422 {
        @Test
        void out_of_range_or_conflicting_lifetimes_are_named_and_mint_nothing() {
            String sa = account();
            assertProblem(createKey(sa, "{\"name\":\"x\",\"ttl_seconds\":60,\"expires_in_days\":1}"), 422, "invalid_value", "ttl_seconds");
            assertProblem(createKey(sa, "{\"name\":\"x\",\"ttl_seconds\":0}"), 422, "invalid_value", "ttl_seconds");
            assertProblem(createKey(sa, "{\"name\":\"x\",\"ttl_seconds\":-5}"), 422, "invalid_value", "ttl_seconds");
            assertProblem(createKey(sa, "{\"name\":\"x\",\"ttl_seconds\":315360001}"), 422, "invalid_value", "ttl_seconds");
            assertProblem(createKey(sa, "{\"name\":\"x\",\"expires_in_days\":3651}"), 422, "invalid_value", "expires_in_days");
            assertProblem(createKey(sa, "{\"name\":\"x\",\"ttl\":\"-1\"}"), 422, "invalid_value", "ttl");
            assertProblem(createKey(sa, "{\"name\":\"x\",\"type\":\"admin\"}"), 422, "invalid_value", "type");
            assertProblem(createKey(sa, "{\"name\":\"x\",\"type\":\"read_write\",\"token_type\":\"read_write\"}"), 422, "invalid_value", "token_type");
            assertProblem(createKey(sa, "{}"), 422, "missing_field", "name");
            assertProblem(server.post("/v1/service-accounts/" + sa + "/keys/key_x/rotate", admin(), "{\"grace_seconds\":-1}"),
                422, "invalid_value", "grace_seconds");
            assertThat(server.get("/v1/service-accounts/" + sa + "/keys", admin()).json().get("keys")).isEmpty();
        }
    }
}
