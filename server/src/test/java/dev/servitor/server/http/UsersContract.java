// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Human users and console sessions; service accounts can never log in. */
abstract class UsersContract extends ApiContract {
    static final String PASSWORD = "correct horse battery staple";

    /** Many deliberate failures come from one address here: only the per-username limit is under test. */
    @Override
    protected dev.servitor.config.ServitorConfig configure(dev.servitor.config.ServitorConfig c) {
        return c.withAccess(new dev.servitor.config.ServitorConfig.Access(c.access().instanceSizes(), 1_000,
            c.access().authFailuresPerMinutePerClient()));
    }

    private String user(String password) {
        String name = unique("human");
        String pw = password == null ? "" : ",\"password\":\"" + password + "\"";
        JsonNode u = server.post("/v1/users", admin(), "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.com\"" + pw + "}")
            .expect(201).json();
        assertThat(u.has("password")).isFalse();
        assertThat(u.get("role").asText()).isEqualTo("user");
        return name;
    }

    /** A new user without a password, with {@code role}, and its e-mail {@code <name>@example.com}. */
    private String userWithRole(String base, String role) {
        String name = unique(base);
        server.post("/v1/users", admin(), "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.com\",\"role\":\"" + role + "\"}")
            .expect(201);
        return name;
    }

    private String keyOf(String username) {
        return server.post("/v1/users/" + username + "/keys", admin(), "{\"name\":\"k\"}").expect(201).json().get("key").asText();
    }

    private static void assertProblem(Response r, int status, String code, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo(code);
        if (field != null) assertThat(r.json().get("field").asText()).isEqualTo(field);
    }

    private JsonNode audit(String query) {
        return server.get("/v1/audit-events?page_size=1000&" + query, admin()).expect(200).json().get("audit_events");
    }

    /** A raw log-in request: the body as given, with the headers given (name, value, ...). */
    private Response rawLogin(String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/v1/session"))
            .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return server.send(b.build());
    }

    private static String loginBody(String username, String password) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }

    private Response login(String username, String password, String org) {
        return server.post("/v1/session", null, "{\"username\":\"" + username + "\",\"password\":\"" + password + "\""
            + (org == null ? "" : ",\"org\":\"" + org + "\"") + "}");
    }

    private String cookie(Response login) {
        String setCookie = login.header("Set-Cookie");
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private Response withCookie(String method, String path, String cookie, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Cookie", cookie)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return server.send(b.build());
    }

    @Nested
    class Users {
        @Test
        void service_accounts_never_appear_in_user_lists() {
            String name = user(PASSWORD);
            server.createServiceAccount(unique("robot"));
            JsonNode list = server.get("/v1/users", admin()).expect(200).json().get("users");
            assertThat(list).extracting(u -> u.get("username").asText()).contains("admin", name).noneMatch(n -> n.startsWith("robot"));
        }

        @Test
        void bad_users_are_refused_naming_the_field() {
            String name = user(null);
            Response dup = server.post("/v1/users", admin(), "{\"username\":\"" + name + "\",\"email\":\"x@example.com\"}");
            assertThat(dup.status()).isEqualTo(409);
            assertThat(dup.json().get("code").asText()).isEqualTo("user_exists");
            assertThat(server.post("/v1/users", admin(), "{\"username\":\"u1\",\"email\":\"nope\"}").json().get("field").asText()).isEqualTo("email");
            assertThat(server.post("/v1/users", admin(), "{\"username\":\"u1\",\"email\":\"a@b.c\",\"password\":\"short\"}").json()
                .get("field").asText()).isEqualTo("password");
            assertThat(server.post("/v1/users", admin(), "{\"username\":\"u1\",\"email\":\"a@b.c\",\"role\":\"emperor\"}").json()
                .get("code").asText()).isEqualTo("unknown_role");
            assertThat(server.get("/v1/users/u1", admin()).status()).isEqualTo(404);
        }

        @Test
        void a_user_reads_itself_and_changes_its_password_but_not_its_role() {
            String name = user(PASSWORD);
            String key = server.post("/v1/users/" + name + "/keys", admin(), "{\"name\":\"laptop\"}").expect(201).json().get("key").asText();
            assertThat(server.get("/v1/users/" + name, key).expect(200).json().get("username").asText()).isEqualTo(name);
            assertThat(server.get("/v1/users", key).status()).isEqualTo(403);
            assertThat(server.patch("/v1/users/" + name, key, "{\"role\":\"admin\"}").status()).isEqualTo(403);
            server.patch("/v1/users/" + name, key, "{\"password\":\"another long passphrase\",\"current_password\":\"" + PASSWORD + "\"}")
                .expect(200);
            assertThat(login(name, PASSWORD, null).status()).isEqualTo(401);
            assertThat(login(name, "another long passphrase", null).status()).isEqualTo(204);
            server.delete("/v1/users/" + name, admin()).expect(204);
            assertThat(server.get("/v1/whoami", key).status()).as("a deleted user's keys stop").isEqualTo(401);
        }
    }

    @Nested
    class Policies {
        @Test
        void a_network_policy_on_a_user_guards_its_keys_and_sessions() {
            String policy = unique("no-loopback");
            server.post("/v1/network-policies", admin(), "{\"name\":\"" + policy + "\",\"blocked_ips\":[\"127.0.0.0/8\",\"::1\"]}").expect(201);
            String name = user(PASSWORD);
            String key = server.post("/v1/users/" + name + "/keys", admin(), "{\"name\":\"k\"}").expect(201).json().get("key").asText();
            assertThat(server.get("/v1/whoami", key).status()).isEqualTo(200);
            JsonNode u = server.patch("/v1/users/" + name, admin(), "{\"network_policy\":\"" + policy + "\"}").expect(200).json();
            assertThat(u.get("network_policy").asText()).isEqualTo(policy);
            Response refused = server.get("/v1/whoami", key);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().get("code").asText()).isEqualTo("ip_not_allowed");
            assertThat(server.post("/v1/verify", admin(), "{\"credential\":\"" + key + "\",\"ip\":\"127.0.0.5\"}").json()
                .get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
            assertThat(server.delete("/v1/network-policies/" + policy, admin()).status()).isEqualTo(409);
            assertThat(server.patch("/v1/users/" + name, key, "{\"network_policy\":null}").status()).as("not self-service").isIn(403);
            server.patch("/v1/users/" + name, admin(), "{\"network_policy\":null}").expect(200);
            assertThat(server.get("/v1/whoami", key).status()).isEqualTo(200);
            assertThat(server.patch("/v1/users/" + name, admin(), "{\"network_policy\":\"nope\"}").json().get("code").asText())
                .isEqualTo("unknown_network_policy");
            server.delete("/v1/network-policies/" + policy, admin()).expect(204);
        }
    }

    @Nested
    class Sessions {
        @Test
        void a_user_logs_in_with_a_strict_http_only_cookie_and_logs_out() {
            String name = user(PASSWORD);
            String cookie = cookie(login(name, PASSWORD, null).expect(204));
            JsonNode me = withCookie("GET", "/v1/whoami", cookie, null).expect(200).json();
            assertThat(me.get("credential").get("kind").asText()).isEqualTo("session");
            assertThat(me.get("principal").get("name").asText()).isEqualTo(name);
            withCookie("DELETE", "/v1/session", cookie, null, "X-Requested-With", "servitor-console").expect(204);
            assertThat(withCookie("GET", "/v1/whoami", cookie, null).status()).isEqualTo(401);
        }

        @Test
        void every_failed_login_is_the_same_401_and_service_accounts_never_log_in() {
            String name = user(PASSWORD);
            String noPassword = user(null);
            String sa = unique("robot");
            server.createServiceAccount(sa);
            String secret = server.post("/v1/service-accounts/" + sa + "/secret", admin(), null).expect(201).json()
                .get("client_secret").asText();
            String saKey = server.createKey(sa, "k");
            Response wrong = login(name, "wrong password!!", null);
            assertThat(wrong.status()).isEqualTo(401);
            for (Response r : new Response[] {login("nobody-at-all", PASSWORD, null), login(noPassword, "", null),
                    login(sa, secret, null), login(sa, saKey, null), login(name, PASSWORD, "no-such-org")}) {
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.json().get("detail").asText()).isEqualTo(wrong.json().get("detail").asText());
                assertThat(r.header("Set-Cookie")).isNull();
            }
        }

        @Test
        void a_cookie_cannot_change_anything_from_another_site() {
            String name = unique("csrf");
            server.post("/v1/users", admin(), "{\"username\":\"" + name + "\",\"email\":\"c@example.com\",\"password\":\"" + PASSWORD
                + "\",\"is_org_admin\":true}").expect(201);
            String cookie = cookie(login(name, PASSWORD, "default").expect(204));
            Response forged = withCookie("POST", "/v1/service-accounts", cookie, "{\"name\":\"csrf-victim\"}", "Origin", "https://evil.example");
            assertThat(forged.status()).isEqualTo(403);
            assertThat(server.get("/v1/service-accounts/csrf-victim", admin()).status()).isEqualTo(404);
            withCookie("POST", "/v1/service-accounts", cookie, "{\"name\":\"csrf-ok\"}", "X-Requested-With", "servitor-console").expect(201);
            withCookie("POST", "/v1/service-accounts", cookie, "{\"name\":\"csrf-ok2\"}", "Origin",
                server.url()).expect(201);
        }

        @Test
        void password_guessing_is_rate_limited_per_username() {
            String name = user(PASSWORD);
            int limited = 0;
            for (int i = 0; i < 15; i++) {
                Response r = login(name, "guess number " + i + "!!", null);
                if (r.status() == 429) {
                    limited++;
                    assertThat(r.header("Retry-After")).isNotBlank();
                    assertThat(r.json().get("code").asText()).isEqualTo("rate_limited");
                } else {
                    assertThat(r.status()).isEqualTo(401);
                }
            }
            assertThat(limited).as("after 10 failures for one username, further guesses are refused unseen").isEqualTo(5);
            assertThat(login(name, PASSWORD, null).status()).as("even the right password waits out the window").isEqualTo(429);
        }

        @Test
        void disabling_a_user_ends_its_sessions() {
            String name = user(PASSWORD);
            String cookie = cookie(login(name, PASSWORD, null).expect(204));
            server.patch("/v1/users/" + name, admin(), "{\"disabled\":true}").expect(200);
            assertThat(withCookie("GET", "/v1/whoami", cookie, null).status()).isEqualTo(401);
            assertThat(login(name, PASSWORD, null).status()).isEqualTo(401);
        }
    }

    @Nested
    class EmailAddresses {
        @Test
        void a_viewer_cannot_take_the_operators_a_service_accounts_or_a_colleagues_address() {
            String vw = userWithRole("vw", "viewer");
            String key = keyOf(vw);
            String colleague = user(null);
            String robotEmail = server.createServiceAccount(unique("robot")).get("email").asText();
            for (String taken : List.of("admin@localhost", "ADMIN@LocalHost", robotEmail, robotEmail.toUpperCase(Locale.ROOT),
                    "anyone@some-other-org.sa.servitor.local", "x@Sa.Servitor.Local", colleague.toUpperCase(Locale.ROOT) + "@EXAMPLE.COM")) {
                assertProblem(server.patch("/v1/users/" + vw, key, "{\"email\":\"" + taken + "\"}"), 409, "email_taken", "email");
                assertProblem(server.post("/v1/users", admin(), "{\"username\":\"" + unique("taker") + "\",\"email\":\"" + taken + "\"}"),
                    409, "email_taken", "email");
            }
            assertThat(verify(key).at("/principal/email").asText()).isEqualTo(vw + "@example.com");
            assertThat(server.get("/v1/whoami", key).expect(200).json().at("/principal/email").asText()).isEqualTo(vw + "@example.com");
            server.patch("/v1/users/" + vw, key, "{\"email\":\"" + vw + "@elsewhere.example\"}").expect(200);
        }

        @Test
        void look_alike_addresses_are_refused_too() {
            String vw = userWithRole("vw", "viewer");
            String key = keyOf(vw);
            // JSON escapes: a zero-width space, a NUL, a no-break space; then a full-width a and full-width full stops
            for (String invalid : List.of("admin@localhost\\u200b", "admin@localhost\\u0000", "admin\\u00a0@localhost",
                    "robot@default.sa.servitor.local.", "admin@", "@localhost", "a@b@c")) {
                assertProblem(server.patch("/v1/users/" + vw, key, "{\"email\":\"" + invalid + "\"}"), 422, "invalid_value", "email");
            }
            for (String lookAlike : List.of("\\uff41dmin@localhost", "admin@localhost\\uff0e", "robot@default\\uff0esa\\uff0eservitor\\uff0elocal")) {
                assertProblem(server.patch("/v1/users/" + vw, key, "{\"email\":\"" + lookAlike + "\"}"), 409, "email_taken", "email");
            }
            assertThat(server.get("/v1/users/" + vw, key).expect(200).json().get("email").asText()).isEqualTo(vw + "@example.com");
        }

        @Test
        void audit_events_name_the_actor_by_id_as_well_as_by_email() {
            String vw = userWithRole("vw", "viewer");
            String key = keyOf(vw);
            String id = server.get("/v1/whoami", key).expect(200).json().at("/principal/id").asText();
            server.patch("/v1/users/" + vw, key, "{\"email\":\"" + vw + "-renamed@example.com\"}").expect(200);
            server.post("/v1/users/" + vw + "/keys", key, "{\"name\":\"own\"}").expect(201);

            JsonNode byId = audit("actor=" + id);
            assertThat(byId).extracting(e -> e.get("action").asText()).contains("user.update", "key.create");
            assertThat(byId).allSatisfy(e -> assertThat(e.get("actor_id").asText()).isEqualTo(id));
            JsonNode keyCreated = byId.get(0);
            assertThat(keyCreated.get("action").asText()).isEqualTo("key.create");
            assertThat(keyCreated.get("actor").asText()).isEqualTo(vw + "-renamed@example.com");
            assertThat(audit("actor=" + vw + "-renamed@example.com")).extracting(e -> e.get("actor_id").asText()).containsOnly(id);
            assertThat(audit("action=user.create").get(0).get("actor_id").asText())
                .isEqualTo(server.get("/v1/whoami", admin()).json().at("/principal/id").asText());
            assertThat(server.get("/v1/audit-events/verify", admin()).expect(200).json().get("intact").asBoolean()).isTrue();
        }

        @Test
        void another_organizations_users_may_share_an_address_but_never_the_operators() {
            assertProblem(server.post("/v1/orgs", admin(), "{\"name\":\"" + unique("org") + "\",\"admin_username\":\"boss\",\"admin_email\":\"Admin@LocalHost\"}"),
                409, "email_taken", "admin_email");
            String shared = unique("boss") + "@shared.example";
            String orgAdmin = server.post("/v1/orgs", admin(), "{\"name\":\"" + unique("org") + "\",\"admin_username\":\"boss\",\"admin_email\":\""
                + shared + "\"}").expect(201).json().get("admin_key").asText();
            // one person may be a user of two tenants; refusing it would tell a tenant another's addresses
            server.post("/v1/users", admin(), "{\"username\":\"" + unique("same") + "\",\"email\":\"" + shared + "\"}").expect(201);
            assertProblem(server.post("/v1/users", orgAdmin, "{\"username\":\"ops\",\"email\":\"admin@localhost\"}"), 409, "email_taken", "email");
            assertProblem(server.patch("/v1/users/boss", orgAdmin, "{\"email\":\"robot@default.sa.servitor.local\"}"), 409, "email_taken", "email");
        }

        @Test
        void of_parallel_claims_on_one_address_exactly_one_wins() throws Exception {
            int n = 100;
            List<String> names = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add(user(null));
                keys.add(keyOf(names.get(i)));
            }
            String address = unique("wanted") + "@example.com";
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int k = i;
                    answers.add(pool.submit(() -> {
                        go.await();
                        return server.patch("/v1/users/" + names.get(k), keys.get(k), "{\"email\":\"" + address + "\"}").status();
                    }));
                }
                go.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : answers) statuses.add(f.get(60, TimeUnit.SECONDS));
                assertThat(statuses).containsOnly(200, 409).filteredOn(s -> s == 200).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            JsonNode users = server.get("/v1/users?page_size=1000", admin()).expect(200).json().get("users");
            assertThat(users).filteredOn(u -> u.get("email").asText().equals(address)).hasSize(1);
        }
    }

    @Nested
    class SelfService {
        @Test
        void changing_ones_own_password_or_email_needs_the_current_password() {
            String name = user(PASSWORD);
            String key = keyOf(name);
            assertProblem(server.patch("/v1/users/" + name, key, "{\"password\":\"another long passphrase\"}"),
                403, "invalid_current_password", "current_password");
            assertProblem(server.patch("/v1/users/" + name, key, "{\"password\":\"another long passphrase\",\"current_password\":\"a wrong guess!!\"}"),
                403, "invalid_current_password", "current_password");
            assertProblem(server.patch("/v1/users/" + name, key, "{\"email\":\"thief@evil.example\"}"),
                403, "invalid_current_password", "current_password");
            assertThat(login(name, "another long passphrase", null).status()).isEqualTo(401);
            assertThat(audit("action=user.update&target=user:" + name)).extracting(e -> e.get("outcome").asText()).containsOnly("denied").hasSize(3);
            // the console's edit form sends the unchanged address: that needs no password
            server.patch("/v1/users/" + name, key, "{\"email\":\"" + name + "@example.com\"}").expect(200);
            server.patch("/v1/users/" + name, key, "{\"email\":\"" + name + "@new.example\",\"current_password\":\"" + PASSWORD + "\"}").expect(200);
            server.patch("/v1/users/" + name, key, "{\"password\":\"another long passphrase\",\"current_password\":\"" + PASSWORD + "\"}").expect(200);
            assertThat(login(name, "another long passphrase", null).status()).isEqualTo(204);
        }

        @Test
        void a_new_password_ends_the_users_other_sessions_but_not_the_one_that_set_it() {
            String name = user(PASSWORD);
            String mine = cookie(login(name, PASSWORD, null).expect(204));
            String other = cookie(login(name, PASSWORD, null).expect(204));
            withCookie("PATCH", "/v1/users/" + name, mine, "{\"password\":\"another long passphrase\",\"current_password\":\"" + PASSWORD + "\"}",
                "X-Requested-With", "servitor-console", "Content-Type", "application/json").expect(200);
            assertThat(withCookie("GET", "/v1/whoami", mine, null).status()).isEqualTo(200);
            assertThat(withCookie("GET", "/v1/whoami", other, null).status()).isEqualTo(401);
            // an admin resetting another user's password needs no current password, and ends every session of that user
            server.patch("/v1/users/" + name, admin(), "{\"password\":\"a third long passphrase\"}").expect(200);
            assertThat(withCookie("GET", "/v1/whoami", mine, null).status()).isEqualTo(401);
            assertThat(login(name, "a third long passphrase", null).status()).isEqualTo(204);
        }

        @Test
        void guessing_the_current_password_is_limited_without_locking_the_user_out_of_the_console() {
            String name = user(PASSWORD);
            String key = keyOf(name);
            for (int i = 0; i < 10; i++) {
                assertProblem(server.patch("/v1/users/" + name, key, "{\"password\":\"another long passphrase\",\"current_password\":\"guess "
                    + i + "!!!!!!!\"}"), 403, "invalid_current_password", "current_password");
            }
            Response limited = server.patch("/v1/users/" + name, key, "{\"password\":\"another long passphrase\",\"current_password\":\""
                + PASSWORD + "\"}");
            assertProblem(limited, 429, "rate_limited", null);
            assertThat(limited.header("Retry-After")).isNotBlank();
            assertThat(login(name, PASSWORD, null).status()).as("the console log-in is counted apart").isEqualTo(204);
        }

        @Test
        void a_user_without_a_password_sets_its_first_one_with_its_key_alone() {
            String name = user(null);
            String key = keyOf(name);
            server.patch("/v1/users/" + name, key, "{\"password\":\"" + PASSWORD + "\"}").expect(200);
            assertThat(login(name, PASSWORD, null).status()).isEqualTo(204);
            assertProblem(server.patch("/v1/users/" + name, key, "{\"password\":\"another long passphrase\"}"),
                403, "invalid_current_password", "current_password");
        }
    }

    @Nested
    class LoginRefusals {
        @Test
        void a_login_from_a_blocked_address_is_refused_before_the_password_is_checked() {
            String policy = unique("no-loopback");
            server.post("/v1/network-policies", admin(), "{\"name\":\"" + policy + "\",\"blocked_ips\":[\"127.0.0.0/8\",\"::1\"]}").expect(201);
            String name = user(PASSWORD);
            server.patch("/v1/users/" + name, admin(), "{\"network_policy\":\"" + policy + "\"}").expect(200);
            Response right = login(name, PASSWORD, null);
            Response wrong = login(name, "a wrong guess!!", null);
            for (Response r : List.of(right, wrong)) {
                assertProblem(r, 403, "ip_not_allowed", null);
                assertThat(r.header("Set-Cookie")).isNull();
            }
            assertThat(right.body().replaceAll("\"request_id\":\"[^\"]*\"", ""))
                .as("the right password is not told apart").isEqualTo(wrong.body().replaceAll("\"request_id\":\"[^\"]*\"", ""));
            assertThat(audit("action=session.login&target=user:" + name)).extracting(e -> e.get("outcome").asText())
                .containsExactly("denied", "denied");
            server.patch("/v1/users/" + name, admin(), "{\"network_policy\":null}").expect(200);
            assertThat(login(name, PASSWORD, null).status()).isEqualTo(204);
        }

        @Test
        void a_login_is_json_and_from_the_servers_own_origin_only() {
            String name = user(PASSWORD);
            String body = loginBody(name, PASSWORD);
            assertProblem(rawLogin(body, "Content-Type", "text/plain"), 415, "unsupported_media_type", null);
            assertProblem(rawLogin(body), 415, "unsupported_media_type", null);
            assertProblem(rawLogin(body, "Content-Type", "application/x-www-form-urlencoded"), 415, "unsupported_media_type", null);
            for (String foreign : List.of("https://evil.example", "null", server.url() + ".evil.example", "http://localhost:1")) {
                assertProblem(rawLogin(body, "Content-Type", "application/json", "Origin", foreign), 403, "forbidden", null);
                assertProblem(rawLogin(body, "Content-Type", "text/plain", "Origin", foreign), 403, "forbidden", null);
            }
            assertThat(audit("action=session.login&target=user:" + name)).isEmpty();
            rawLogin(body, "Content-Type", "application/json; charset=utf-8", "Origin", server.url()).expect(204);
            rawLogin(body, "Content-Type", "application/json").expect(204);
        }

        @Test
        void a_user_name_in_several_organizations_needs_the_org_before_any_password_check() {
            String name = user(PASSWORD);
            String org = unique("tenant");
            server.post("/v1/orgs", admin(), "{\"name\":\"" + org + "\",\"admin_username\":\"" + name + "\",\"admin_email\":\"" + name
                + "@tenant.example\"}").expect(201);
            for (String password : List.of(PASSWORD, "a wrong guess!!")) {
                Response r = login(name, password, null);
                assertProblem(r, 400, "org_required", "org");
                assertThat(r.header("Set-Cookie")).isNull();
            }
            assertThat(login(name, PASSWORD, "default").status()).isEqualTo(204);
            assertThat(login(name, PASSWORD, org).status()).as("the other tenant's user has no password").isEqualTo(401);
        }
    }
}
