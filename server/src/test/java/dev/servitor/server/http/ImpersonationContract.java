// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.TestServer.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an impersonation token may do: it answers to the impersonating admin's network policy
 * at every use, and it neither mints credentials nor changes human users.
 */
abstract class ImpersonationContract extends ProxiedContract {

    /** A human org admin with a key of its own, and that key. */
    private String[] humanAdmin() {
        String name = unique("ops");
        server.post("/v1/users", admin(), "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.com\",\"is_org_admin\":true}")
            .expect(201);
        String key = server.post("/v1/users/" + name + "/keys", admin(), "{\"name\":\"k\"}").expect(201).json().get("key").asText();
        return new String[] {name, key};
    }

    private String impersonate(String account, String adminKey, String from) {
        return call("POST", "/v1/service-accounts/" + account + "/impersonate", adminKey, null, from).expect(200).json()
            .get("access_token").asText();
    }

    private JsonNode verifyFrom(String credential, String ip) {
        return call("POST", "/v1/verify", admin(), "{\"credential\":\"" + credential + "\",\"ip\":\"" + ip + "\"}", null).expect(200).json();
    }

    @Test
    void an_impersonation_token_answers_to_the_admins_own_network_policy_at_every_use() {
        String[] ops = humanAdmin();
        String policy = policy(List.of("10.0.0.0/8"), List.of());
        server.patch("/v1/users/" + ops[0], admin(), "{\"network_policy\":\"" + policy + "\"}").expect(200);
        String account = unique("target");
        server.post("/v1/service-accounts", admin(), "{\"name\":\"" + account + "\",\"is_org_admin\":true}").expect(201);

        assertProblem(call("POST", "/v1/service-accounts/" + account + "/impersonate", ops[1], null, "8.8.8.8"), 403, "ip_not_allowed");
        String token = impersonate(account, ops[1], "10.1.2.3");
        assertThat(whoami(token, "10.1.2.3").expect(200).json().at("/actor/name").asText()).isEqualTo(ops[0]);

        assertProblem(whoami(token, "8.8.8.8"), 403, "ip_not_allowed");
        assertProblem(call("POST", "/v1/service-accounts", token, "{\"name\":\"" + unique("from-outside") + "\"}", "8.8.8.8"),
            403, "ip_not_allowed");
        assertThat(verifyFrom(token, "8.8.8.8").get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
        assertThat(verifyFrom(token, "10.9.9.9").get("code").asText()).isEqualTo("VALID");
        // the account's own credentials are not bound by the admin's policy
        String own = server.createKey(account, "own");
        assertThat(whoami(own, "8.8.8.8").status()).isEqualTo(200);
    }

    @Test
    void an_impersonation_token_mints_no_credential_and_changes_no_human_user() {
        String account = unique("org-admin-bot");
        JsonNode bot = server.post("/v1/service-accounts", admin(), "{\"name\":\"" + account + "\",\"is_org_admin\":true}").expect(201).json();
        String other = unique("other");
        server.createServiceAccount(other);
        String keyId = server.post("/v1/service-accounts/" + other + "/keys", admin(), "{\"name\":\"k\"}").expect(201).json().get("id").asText();
        String someone = unique("someone");
        server.post("/v1/users", admin(), "{\"username\":\"" + someone + "\",\"email\":\"" + someone + "@example.com\"}").expect(201);
        String token = impersonate(account, admin(), null);

        List<Response> refused = List.of(
            call("POST", "/v1/service-accounts/" + other + "/keys", token, "{\"name\":\"stay\"}", null),
            call("POST", "/v1/service-accounts/" + other + "/keys/" + keyId + "/rotate", token, null, null),
            call("POST", "/v1/service-accounts/" + other + "/secret", token, null, null),
            call("POST", "/v1/service-accounts", token, "{\"name\":\"" + unique("keyed") + "\",\"issue_key\":true}", null),
            call("POST", "/v1/users/admin/keys", token, "{\"name\":\"stay\"}", null),
            call("POST", "/v1/users", token, "{\"username\":\"mole\",\"email\":\"mole@example.com\",\"is_org_admin\":true}", null),
            call("PATCH", "/v1/users/admin", token, "{\"password\":\"taken over by a bot\"}", null),
            call("DELETE", "/v1/users/" + someone, token, null, null),
            call("POST", "/v1/orgs", token, "{\"name\":\"mine\",\"admin_username\":\"me\",\"admin_email\":\"me@example.com\"}", null),
            call("POST", "/v1/sql", token, "{\"sql\":\"CALL GENERATE_SERVICE_ACCOUNT_KEY('" + other + "')\"}", null),
            call("POST", "/v1/sql", token, "{\"sql\":\"CREATE API KEY stay FOR SERVICE ACCOUNT \\\"" + other + "\\\"\"}", null));
        for (Response r : refused) assertProblem(r, 403, "impersonation_forbidden");

        // the account's ordinary work goes on: reading, creating without a key, revoking
        assertThat(call("GET", "/v1/service-accounts/" + other + "/keys", token, null, null).expect(200).json().get("keys")).hasSize(1);
        call("POST", "/v1/service-accounts", token, "{\"name\":\"" + unique("keyless") + "\"}", null).expect(201);
        call("DELETE", "/v1/service-accounts/" + other + "/keys/" + keyId, token, null, null).expect(204);
        assertThat(server.get("/v1/users/" + someone, admin()).status()).isEqualTo(200);

        JsonNode events = server.get("/v1/audit-events?page_size=1000&actor=admin@localhost", admin()).expect(200).json().get("audit_events");
        List<String> denied = new java.util.ArrayList<>();
        for (JsonNode e : events) {
            if (e.get("outcome").asText().equals("denied") && bot.get("email").asText().equals(e.get("on_behalf_of").asText())) {
                denied.add(e.get("action").asText());
            }
        }
        assertThat(denied).containsExactlyInAnyOrder("key.create", "key.rotate", "secret.generate", "service_account.create",
            "key.create", "user.create", "user.update", "user.delete", "org.create", "secret.generate", "key.create");
    }
}
