// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.Race;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * 100 parallel requests over HTTP against commands that must serialize on one row: rotating one
 * key, deleting one account, minting keys for an account being deleted. Each test names the
 * exact outcome, not just "no error".
 */
abstract class RacesContract extends ApiContract {
    private static final int REQUESTS = 100;
    private static final int KEY_LIMIT = 50; // max_keys_per_service_account, the default

    /** Status and problem code (null on success) of one racing request. */
    private record Outcome(int status, String code, JsonNode body) {
        static Outcome of(Response r) {
            JsonNode json = r.body().isEmpty() ? null : r.json();
            return new Outcome(r.status(), r.status() >= 400 && json != null ? json.path("code").asText() : null, json);
        }

        boolean is(int expected) {
            return status == expected;
        }
    }

    // ---- item 11: rotation ----------------------------------------------------------------

    @Test
    void parallel_rotations_of_one_key_without_grace_mint_exactly_one_successor() throws Exception {
        String sa = account("rot0");
        String keyId = createKey(sa, "k").get("id").asText();

        List<Outcome> outcomes = Race.run(REQUESTS, REQUESTS, i -> Outcome.of(rotate(sa, keyId, null)));

        assertThat(outcomes).filteredOn(o -> o.is(201)).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.is(201)).extracting(Outcome::status, Outcome::code)
            .containsOnly(tuple(404, "key_not_found"));
        String successor = outcomes.stream().filter(o -> o.is(201)).findFirst().orElseThrow().body().get("id").asText();
        assertThat(liveKeyIds(sa)).containsExactly(successor);
        assertThat(events("key.rotate", "service_account:" + sa + "/key:" + keyId)).isEqualTo(1);
    }

    @Test
    void parallel_rotations_of_one_key_with_grace_mint_one_successor_and_refuse_the_rest_as_retiring() throws Exception {
        String sa = account("rotg");
        String keyId = createKey(sa, "k").get("id").asText();

        List<Outcome> outcomes = Race.run(REQUESTS, REQUESTS, i -> Outcome.of(rotate(sa, keyId, 3600L)));

        assertThat(outcomes).filteredOn(o -> o.is(201)).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.is(201)).extracting(Outcome::status, Outcome::code)
            .containsOnly(tuple(409, "key_retiring"));
        String successor = outcomes.stream().filter(o -> o.is(201)).findFirst().orElseThrow().body().get("id").asText();
        assertThat(liveKeyIds(sa)).containsExactlyInAnyOrder(keyId, successor);
    }

    @Test
    void rotations_racing_revocations_of_one_key_revoke_it_once_and_leave_at_most_one_successor() throws Exception {
        String sa = account("rotrev");
        String keyId = createKey(sa, "k").get("id").asText();

        List<Outcome> outcomes = Race.run(REQUESTS, REQUESTS, i -> Outcome.of(i % 2 == 0
            ? rotate(sa, keyId, 3600L)
            : server.delete("/v1/service-accounts/" + sa + "/keys/" + keyId, admin())));

        assertThat(outcomes).extracting(Outcome::status).isSubsetOf(201, 204, 404, 409);
        assertThat(outcomes).filteredOn(o -> o.is(204)).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.is(201)).hasSizeLessThanOrEqualTo(1);
        assertThat(outcomes).filteredOn(o -> o.status() >= 400).extracting(Outcome::code)
            .isSubsetOf("key_not_found", "key_retiring");
        List<String> successors = outcomes.stream().filter(o -> o.is(201)).map(o -> o.body().get("id").asText()).toList();
        assertThat(liveKeyIds(sa)).containsExactlyInAnyOrderElementsOf(successors);
        assertThat(events("key.revoke", "service_account:" + sa + "/key:" + keyId)).isEqualTo(1);
    }

    @Test
    void a_key_in_its_grace_cannot_be_rotated_again_and_keys_in_grace_count_toward_the_limit() {
        String sa = account("rotlim");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < KEY_LIMIT - 1; i++) keys.add(createKey(sa, "k" + i).get("id").asText());

        String successor = rotate(sa, keys.get(0), 3600L).expect(201).json().get("id").asText(); // 49 + 1 in grace = 50
        Response again = rotate(sa, keys.get(0), 3600L);
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.json().get("code").asText()).isEqualTo("key_retiring");
        assertThat(rotate(sa, keys.get(0), null).json().get("code").asText()).isEqualTo("key_retiring");
        // at the limit a rotation with grace would hold one key more than allowed; without grace it replaces one
        assertThat(rotate(sa, successor, 3600L).json().get("code").asText()).isEqualTo("key_limit_reached");
        rotate(sa, successor, null).expect(201);
        assertThat(createKeyResponse(sa, "one-more").json().get("code").asText()).isEqualTo("key_limit_reached");
        assertThat(liveKeyIds(sa)).hasSize(KEY_LIMIT);
        // revoking a key in its grace is still allowed, and ends it at once
        server.delete("/v1/service-accounts/" + sa + "/keys/" + keys.get(0), admin()).expect(204);
        assertThat(liveKeyIds(sa)).hasSize(KEY_LIMIT - 1).doesNotContain(keys.get(0));
    }

    @Test
    void parallel_rotations_with_grace_of_many_keys_never_pass_the_limit() throws Exception {
        String sa = account("rotmany");
        int keys = 40;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < keys; i++) ids.add(createKey(sa, "k" + i).get("id").asText());

        List<Outcome> outcomes = Race.run(REQUESTS, REQUESTS, i -> Outcome.of(rotate(sa, ids.get(i % keys), 3600L)));

        assertThat(outcomes).filteredOn(o -> o.is(201)).hasSize(KEY_LIMIT - keys);
        assertThat(outcomes).filteredOn(o -> !o.is(201)).extracting(Outcome::code)
            .isSubsetOf("key_retiring", "key_limit_reached");
        assertThat(liveKeyIds(sa)).hasSize(KEY_LIMIT);
        assertThat(server.get("/v1/service-accounts/" + sa, admin()).json().get("key_count").asInt()).isEqualTo(KEY_LIMIT);
    }

    @Test
    void parallel_client_secret_replacements_leave_exactly_one_live_secret() throws Exception {
        String sa = account("sec");
        String id = server.get("/v1/service-accounts/" + sa, admin()).json().get("id").asText();

        List<Outcome> outcomes = Race.run(REQUESTS, REQUESTS, i -> Outcome.of(server.post("/v1/service-accounts/" + sa + "/secret", admin(), null)));

        assertThat(outcomes).extracting(Outcome::status).containsOnly(201);
        assertThat(count("SELECT COUNT(*) FROM client_secrets WHERE service_account_id = ? AND revoked_at IS NULL", id)).isEqualTo(1);
        assertThat(events("secret.generate", "service_account:" + sa)).isEqualTo(REQUESTS);
    }

    // ---- item 12: deletion ----------------------------------------------------------------

    @Test
    void parallel_deletes_of_one_account_answer_204_once_and_audit_one_delete() throws Exception {
        int accounts = 5;
        List<String> names = IntStream.range(0, accounts).mapToObj(i -> account("del")).toList();
        for (String name : names) createKey(name, "k");

        List<Outcome> outcomes = Race.run(REQUESTS, REQUESTS,
            i -> Outcome.of(server.delete("/v1/service-accounts/" + names.get(i % accounts), admin())));

        assertThat(outcomes).filteredOn(o -> o.is(204)).hasSize(accounts);
        assertThat(outcomes).filteredOn(o -> !o.is(204)).extracting(Outcome::status, Outcome::code)
            .containsOnly(tuple(404, "service_account_not_found"));
        for (String name : names) {
            assertThat(events("service_account.delete", "service_account:" + name)).as(name).isEqualTo(1);
        }
        assertThat(server.get("/v1/audit-events/verify", admin()).json().get("intact").asBoolean()).isTrue();
    }

    @Test
    void key_creations_racing_the_delete_of_their_account_leave_no_live_key_behind() throws Exception {
        int accounts = 4;
        List<String> names = IntStream.range(0, accounts).mapToObj(i -> account("delk")).toList();
        List<String> ids = names.stream().map(n -> server.get("/v1/service-accounts/" + n, admin()).json().get("id").asText()).toList();
        int perAccount = REQUESTS / accounts;

        // request i of each account's share deletes it half-way; the others mint keys for it
        List<Outcome> outcomes = Race.run(REQUESTS, REQUESTS, i -> {
            String name = names.get(i % accounts);
            return Outcome.of(i / accounts == perAccount / 2
                ? server.delete("/v1/service-accounts/" + name, admin())
                : createKeyResponse(name, "k" + i));
        });

        assertThat(outcomes).filteredOn(o -> o.is(204)).hasSize(accounts);
        assertThat(outcomes).extracting(Outcome::status).isSubsetOf(201, 204, 404);
        assertThat(outcomes).filteredOn(o -> o.is(404)).extracting(Outcome::code).isSubsetOf("service_account_not_found");
        for (Outcome created : outcomes.stream().filter(o -> o.is(201)).toList()) {
            assertThat(verify(created.body().get("key").asText()).get("valid").asBoolean()).as("a key of a deleted account").isFalse();
        }
        assertThat(liveKeysOf(ids)).isZero();
        assertNoLiveKeyWithoutOwnerAndUsageIsTheRealCount();
    }

    @Test
    void parallel_deletes_of_one_user_answer_204_once_and_racing_key_creations_leave_no_live_key() throws Exception {
        int users = 4;
        List<String> names = IntStream.range(0, users).mapToObj(i -> user()).toList();
        List<String> ids = names.stream().map(n -> server.get("/v1/users/" + n, admin()).json().get("id").asText()).toList();

        // per user: a quarter of the requests delete it, the rest mint personal keys (5 at most)
        List<Outcome> outcomes = Race.run(REQUESTS, REQUESTS, i -> {
            String name = names.get(i % users);
            return Outcome.of(i / users % 4 == 0
                ? server.delete("/v1/users/" + name, admin())
                : server.post("/v1/users/" + name + "/keys", admin(), "{\"name\":\"k" + i + "\"}"));
        });

        assertThat(outcomes).filteredOn(o -> o.is(204)).hasSize(users);
        assertThat(outcomes).extracting(Outcome::status).isSubsetOf(201, 204, 404, 409);
        assertThat(outcomes).filteredOn(o -> o.is(404)).extracting(Outcome::code).isSubsetOf("user_not_found");
        assertThat(outcomes).filteredOn(o -> o.is(409)).extracting(Outcome::code).isSubsetOf("key_limit_reached");
        for (String name : names) assertThat(events("user.delete", "user:" + name)).as(name).isEqualTo(1);
        for (Outcome created : outcomes.stream().filter(o -> o.is(201)).toList()) {
            assertThat(verify(created.body().get("key").asText()).get("valid").asBoolean()).as("a key of a deleted user").isFalse();
        }
        assertThat(liveKeysOf(ids)).isZero();
        assertNoLiveKeyWithoutOwnerAndUsageIsTheRealCount();
    }

    @Test
    void rotations_racing_the_delete_of_their_account_leave_no_live_key_behind() throws Exception {
        int accounts = 4;
        List<String> names = IntStream.range(0, accounts).mapToObj(i -> account("delr")).toList();
        List<String> ids = names.stream().map(n -> server.get("/v1/service-accounts/" + n, admin()).json().get("id").asText()).toList();
        List<List<String>> keys = new ArrayList<>();
        for (String name : names) {
            List<String> k = new ArrayList<>();
            for (int i = 0; i < 12; i++) k.add(createKey(name, "k" + i).get("id").asText());
            keys.add(k);
        }

        List<Outcome> outcomes = Race.run(REQUESTS, REQUESTS, i -> {
            int a = i % accounts;
            int n = i / accounts;
            return Outcome.of(n == 12
                ? server.delete("/v1/service-accounts/" + names.get(a), admin())
                : rotate(names.get(a), keys.get(a).get(n % 12), n < 12 ? 60L : null));
        });

        assertThat(outcomes).filteredOn(o -> o.is(204)).hasSize(accounts);
        assertThat(outcomes).extracting(Outcome::status).isSubsetOf(201, 204, 404, 409);
        assertThat(outcomes).filteredOn(o -> o.status() >= 400).extracting(Outcome::code)
            .isSubsetOf("service_account_not_found", "key_not_found", "key_retiring");
        assertThat(liveKeysOf(ids)).isZero();
        assertNoLiveKeyWithoutOwnerAndUsageIsTheRealCount();
    }

    @Test
    void changes_racing_the_delete_of_their_account_or_user_answer_404_and_nothing_is_audited_after_the_delete() throws Exception {
        int owners = 4;
        List<String> accounts = IntStream.range(0, owners).mapToObj(i -> account("delc")).toList();
        List<String> users = IntStream.range(0, owners).mapToObj(i -> user()).toList();

        List<Outcome> outcomes = Race.run(REQUESTS, REQUESTS, i -> {
            int o = i % owners;
            String sa = "/v1/service-accounts/" + accounts.get(o);
            String user = "/v1/users/" + users.get(o);
            return Outcome.of(switch (i / owners % 8) {
                case 0 -> server.delete(sa, admin());
                case 1 -> server.delete(user, admin());
                case 2 -> server.patch(sa, admin(), "{\"description\":\"d" + i + "\"}");
                case 3 -> server.post(sa + "/disable", admin(), null);
                case 4 -> server.post(sa + "/enable", admin(), null);
                case 5 -> server.post(sa + "/secret", admin(), null);
                case 6 -> server.patch(user, admin(), "{\"email\":\"u" + i + "@example.com\"}");
                default -> server.patch(user, admin(), "{\"disabled\":true}");
            });
        });

        assertThat(outcomes).extracting(Outcome::status).isSubsetOf(200, 201, 204, 404);
        assertThat(outcomes).filteredOn(o -> o.is(204)).hasSize(2 * owners);
        for (String name : accounts) assertThat(newestEvent("service_account:" + name)).isEqualTo("service_account.delete");
        for (String name : users) assertThat(newestEvent("user:" + name)).isEqualTo("user.delete");
    }

    // ---- helpers --------------------------------------------------------------------------

    private String newestEvent(String target) {
        JsonNode events = server.get("/v1/audit-events?page_size=1&target="
            + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8), admin()).expect(200).json().get("audit_events");
        return events.get(0).get("action").asText();
    }


    private String account(String base) {
        String name = unique(base);
        server.createServiceAccount(name);
        return name;
    }

    private String user() {
        String name = unique("racer");
        server.post("/v1/users", admin(), "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.com\"}").expect(201);
        return name;
    }

    private JsonNode createKey(String sa, String keyName) {
        return createKeyResponse(sa, keyName).expect(201).json();
    }

    private Response createKeyResponse(String sa, String keyName) {
        return server.post("/v1/service-accounts/" + sa + "/keys", admin(), "{\"name\":\"" + keyName + "\"}");
    }

    private Response rotate(String sa, String keyId, Long grace) {
        return server.post("/v1/service-accounts/" + sa + "/keys/" + keyId + "/rotate", admin(),
            grace == null ? null : "{\"grace_seconds\":" + grace + "}");
    }

    private List<String> liveKeyIds(String sa) {
        List<String> ids = new ArrayList<>();
        server.get("/v1/service-accounts/" + sa + "/keys", admin()).expect(200).json().get("keys")
            .forEach(k -> ids.add(k.get("id").asText()));
        return ids;
    }

    private long events(String action, String target) {
        JsonNode page = server.get("/v1/audit-events?page_size=1000&action=" + action + "&target="
            + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8), admin()).expect(200).json();
        assertThat(page.has("next_page_token")).isFalse();
        long n = 0;
        for (JsonNode e : page.get("audit_events")) {
            if (e.get("target").asText().equals(target) && e.get("outcome").asText().equals("success")) n++;
        }
        return n;
    }

    /** Live keys, read straight from the table, of the given owners. */
    private long liveKeysOf(List<String> ownerIds) throws SQLException {
        long n = 0;
        for (String id : ownerIds) {
            n += count("SELECT COUNT(*) FROM api_keys WHERE owner_id = ? AND " + live("api_keys"), id);
        }
        return n;
    }

    /** No live key is left whose owner row is gone, and the organization's usage counts exactly the others. */
    private void assertNoLiveKeyWithoutOwnerAndUsageIsTheRealCount() throws SQLException {
        String orgId = orgId();
        long orphans = count("SELECT COUNT(*) FROM api_keys k WHERE k.org_id = ? AND " + live("k")
            + " AND NOT EXISTS (SELECT 1 FROM service_accounts s WHERE s.id = k.owner_id)"
            + " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = k.owner_id)", orgId);
        long owned = count("SELECT COUNT(*) FROM api_keys k WHERE k.org_id = ? AND " + live("k")
            + " AND (EXISTS (SELECT 1 FROM service_accounts s WHERE s.id = k.owner_id)"
            + " OR EXISTS (SELECT 1 FROM users u WHERE u.id = k.owner_id))", orgId);
        assertThat(orphans).as("live keys of deleted owners").isZero();
        assertThat(server.get("/v1/org", admin()).expect(200).json().get("usage").get("live_keys").asLong()).isEqualTo(owned);
    }

    private String orgId() throws SQLException {
        String adminId = server.get("/v1/whoami", admin()).expect(200).json().get("principal").get("id").asText();
        try (Connection c = server.servitor().database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT org_id FROM users WHERE id = ?")) {
            s.setString(1, adminId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private String live(String table) {
        long now = server.clock().instant().toEpochMilli();
        return "(" + table + ".revoked_at IS NULL OR " + table + ".revoked_at > " + now + ") AND ("
            + table + ".expires_at IS NULL OR " + table + ".expires_at > " + now + ")";
    }

    private long count(String sql, String param) throws SQLException {
        try (Connection c = server.servitor().database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
