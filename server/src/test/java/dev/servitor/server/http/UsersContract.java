// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import java.net.URI;
import java.net.http.HttpRequest;
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
            server.patch("/v1/users/" + name, key, "{\"password\":\"another long passphrase\"}").expect(200);
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
}
