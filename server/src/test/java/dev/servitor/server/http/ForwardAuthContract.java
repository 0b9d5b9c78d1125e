// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.config.ServitorConfig;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/forward-auth} over a real server, asked as a gateway asks: its own verify key in
 * {@code Servitor-Gateway-Key}, the original request's headers (the customer's credential, the
 * client address the gateway saw) and the permission from the gateway's configuration.
 * Failed authentications are limited here at 5 a minute per address and 3 per client id, so each
 * test speaks from its own client addresses.
 */
abstract class ForwardAuthContract extends ApiContract {
    private String gatewayKey;
    private String accountName;
    private String accountId;
    private String key;

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        return config.withAccess(new ServitorConfig.Access(config.access().instanceSizes(), 5, 3));
    }

    @BeforeAll
    void gatewayAndCustomer() {
        String role = unique("gateway");
        server.post("/v1/roles", admin(), "{\"name\":\"" + role + "\",\"permissions\":[\"verify\"]}").expect(201);
        String gateway = unique("gateway");
        server.post("/v1/service-accounts", admin(), "{\"name\":\"" + gateway + "\",\"role\":\"" + role + "\"}").expect(201);
        gatewayKey = server.createKey(gateway, "nginx");
        accountName = unique("ci-bot");
        accountId = server.createServiceAccount(accountName).get("id").asText();
        key = server.createKey(accountName, "k");
    }

    /** A forward-auth request: {@code headers} as name, value pairs; the gateway key is added unless given (null: none). */
    private Response askWith(String method, String pathAndQuery, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(ForwardAuth.GATEWAY_KEY, gatewayKey);
        for (int i = 0; i < headers.length; i += 2) h.put(headers[i], headers[i + 1]);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery))
            .method(method, HttpRequest.BodyPublishers.noBody());
        h.forEach((name, value) -> { if (value != null) b.header(name, value); });
        return server.send(b.build());
    }

    private Response ask(String... headers) {
        return askWith("GET", ForwardAuth.PATH, headers);
    }

    private static void assertProblem(Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo(code);
        assertThat(r.header(IdentityHeaders.PRINCIPAL_ID)).as("no identity on a refusal").isNull();
    }

    /** The problem document without its request id, to compare answers of different requests. */
    private static JsonNode document(Response r) {
        var doc = r.json().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc).remove("request_id");
        return doc;
    }

    private static String wellFormedUnknownKey() {
        return SecretFormat.generate("svt");
    }

    @Nested
    class Allowed {
        @Test
        void a_valid_key_is_answered_with_who_it_stands_for() {
            Response r = ask("Authorization", "Bearer " + key, "X-Real-IP", "198.51.100.7");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
            assertThat(r.header(IdentityHeaders.PRINCIPAL_ID)).isEqualTo(accountId);
            assertThat(r.header(IdentityHeaders.PRINCIPAL_NAME)).isEqualTo(accountName);
            assertThat(r.header(IdentityHeaders.PRINCIPAL_TYPE)).isEqualTo("service_account");
            assertThat(r.header(IdentityHeaders.ORG)).isEqualTo("default");
            assertThat(r.header(IdentityHeaders.CREDENTIAL_TYPE)).isEqualTo("read_write");
            assertThat(r.header(IdentityHeaders.CREDENTIAL_KIND)).isEqualTo("api_key");
            assertThat(r.header(IdentityHeaders.PERMISSIONS)).isEqualTo("*:read,*:write");
            assertThat(r.header(IdentityHeaders.ACTOR_ID)).as("present and empty: no impersonation").isEmpty();
        }

        @Test
        void the_credential_may_come_in_any_scheme_or_in_x_api_key() {
            for (String scheme : new String[] {"Bearer ", "Token ", "Key ", "bearer "}) {
                assertThat(ask("Authorization", scheme + key).header(IdentityHeaders.PRINCIPAL_ID)).as(scheme).isEqualTo(accountId);
            }
            assertThat(ask(ForwardAuth.API_KEY, key).header(IdentityHeaders.PRINCIPAL_ID)).isEqualTo(accountId);
            // a scheme Servitor does not take (the upstream's own Basic auth, say) leaves X-Api-Key to carry the key
            assertThat(ask("Authorization", "Basic dXNlcjpwYXNz", ForwardAuth.API_KEY, key).status()).isEqualTo(200);
        }

        @Test
        void every_method_is_answered_the_same_way() {
            String[] methods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"};
            for (int i = 0; i < methods.length; i++) {
                String method = methods[i];
                Response r = askWith(method, ForwardAuth.PATH, "Authorization", "Bearer " + key);
                assertThat(r.status()).as(method).isEqualTo(200);
                assertThat(r.header(IdentityHeaders.PRINCIPAL_ID)).as(method).isEqualTo(accountId);
                assertThat(askWith(method, ForwardAuth.PATH, "Authorization", "Bearer " + wellFormedUnknownKey(),
                    "X-Real-IP", "198.51.100." + (10 + i)).status()).as(method).isEqualTo(401);
            }
        }

        @Test
        void envoy_appends_the_original_path_and_query_and_is_answered_too() {
            Response r = askWith("POST", ForwardAuth.PATH + "/api/models/llama?stream=true", "Authorization", "Bearer " + key);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.header(IdentityHeaders.PRINCIPAL_NAME)).isEqualTo(accountName);
            assertThat(server.get("/v1/forward-authz", admin()).status()).as("only the path and paths below it").isEqualTo(404);
        }

        @Test
        void a_held_permission_passes_from_the_query_or_the_gateways_header() {
            assertThat(askWith("GET", ForwardAuth.PATH + "?permission=models:read", "Authorization", "Bearer " + key).status())
                .isEqualTo(200);
            assertThat(ask(ForwardAuth.PERMISSION_HEADER, "models:write", "Authorization", "Bearer " + key).status()).isEqualTo(200);
            assertThat(askWith("GET", ForwardAuth.PATH + "?permission=", "Authorization", "Bearer " + key).status())
                .as("an empty permission asks for nothing (nginx's unset variable)").isEqualTo(200);
        }

        @Test
        void an_access_token_has_its_kind_and_no_key_type() {
            JsonNode secret = server.post("/v1/service-accounts/" + accountName + "/secret", admin(), null).expect(201).json();
            String basic = Base64.getEncoder().encodeToString(
                (secret.get("client_id").asText() + ":" + secret.get("client_secret").asText()).getBytes());
            String token = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build()).expect(200).json()
                .get("access_token").asText();
            Response r = ask("Authorization", "Bearer " + token);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.header(IdentityHeaders.PRINCIPAL_ID)).isEqualTo(accountId);
            assertThat(r.header(IdentityHeaders.CREDENTIAL_KIND)).isEqualTo("access_token");
            assertThat(r.header(IdentityHeaders.CREDENTIAL_TYPE)).isEmpty();
        }

        @Test
        void an_impersonation_names_the_acting_admin() {
            String token = server.post("/v1/service-accounts/" + accountName + "/impersonate", admin(), null).expect(200).json()
                .get("access_token").asText();
            String adminId = server.get("/v1/whoami", admin()).expect(200).json().get("principal").get("id").asText();
            Response r = ask("Authorization", "Bearer " + token);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.header(IdentityHeaders.PRINCIPAL_ID)).isEqualTo(accountId);
            assertThat(r.header(IdentityHeaders.ACTOR_ID)).isEqualTo(adminId);
        }

        @Test
        void a_clients_method_override_header_is_for_the_upstream_and_does_not_matter_here() {
            assertThat(ask("Authorization", "Bearer " + key, "X-HTTP-Method-Override", "DELETE").status()).isEqualTo(200);
        }
    }

    @Nested
    class Unauthenticated {
        @Test
        void any_bad_customer_credential_gets_the_uniform_401_of_v1() {
            JsonNode created = server.post("/v1/service-accounts/" + accountName + "/keys", admin(),
                "{\"name\":\"" + unique("revoked") + "\"}").expect(201).json();
            String revoked = created.get("key").asText();
            server.delete("/v1/service-accounts/" + accountName + "/keys/" + created.get("id").asText(), admin()).expect(204);
            Response v1 = server.get("/v1/whoami", wellFormedUnknownKey());
            String[][] cases = {{"Authorization", "Bearer " + wellFormedUnknownKey()}, {"Authorization", "Bearer svt_typo"},
                {"Authorization", "Bearer " + revoked}, {"Authorization", "Basic dXNlcjpwYXNz"}, {"X-Nothing", "x"},
                {ForwardAuth.API_KEY, wellFormedUnknownKey()}};
            int i = 0;
            for (String[] c : cases) {
                Response r = ask(c[0], c[1], "X-Real-IP", "192.0.2." + (10 + i++));
                assertProblem(r, 401, "unauthenticated");
                assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"servitor\"");
                assertThat(document(r)).as(c[1]).isEqualTo(document(v1));
            }
        }

        @Test
        void a_disabled_accounts_key_gets_401_and_works_again_on_enable() {
            String sa = unique("paused");
            server.createServiceAccount(sa);
            String k = server.createKey(sa, "k");
            server.post("/v1/service-accounts/" + sa + "/disable", admin(), null).expect(200);
            assertProblem(ask("Authorization", "Bearer " + k, "X-Real-IP", "192.0.2.30"), 401, "unauthenticated");
            server.post("/v1/service-accounts/" + sa + "/enable", admin(), null).expect(200);
            assertThat(ask("Authorization", "Bearer " + k, "X-Real-IP", "192.0.2.30").status()).isEqualTo(200);
        }

        @Test
        void a_missing_bad_or_powerless_gateway_key_gets_the_same_401_told_apart_only_in_the_metrics() {
            String viewer = unique("viewer");
            server.post("/v1/service-accounts", admin(), "{\"name\":\"" + viewer + "\",\"role\":\"viewer\"}").expect(201);
            String powerless = server.createKey(viewer, "k");
            Response customer = ask("Authorization", "Bearer " + wellFormedUnknownKey(), "X-Real-IP", "192.0.2.40");
            Map<String, String> gateways = new LinkedHashMap<>();
            gateways.put("gateway_key_missing", null);
            gateways.put("gateway_key_refused", wellFormedUnknownKey());
            gateways.put("gateway_not_verifier", powerless);
            for (var g : gateways.entrySet()) {
                double before = outcomes(g.getKey());
                Response r = ask(ForwardAuth.GATEWAY_KEY, g.getValue(), "Authorization", "Bearer " + key);
                assertProblem(r, 401, "unauthenticated");
                assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"servitor\"");
                assertThat(document(r)).as(g.getKey()).isEqualTo(document(customer));
                assertThat(outcomes(g.getKey()) - before).as(g.getKey()).isEqualTo(1.0);
            }
        }

        @Test
        void the_gateways_own_key_is_checked_at_the_gateways_own_address_not_the_clients() {
            String role = unique("gw-role");
            server.post("/v1/roles", admin(), "{\"name\":\"" + role + "\",\"permissions\":[\"verify\"]}").expect(201);
            String[][] policies = {{unique("gw-here"), "127.0.0.0/8"}, {unique("gw-elsewhere"), "10.0.0.0/8"}};
            String[] keys = new String[2];
            for (int i = 0; i < 2; i++) {
                server.post("/v1/network-policies", admin(), "{\"name\":\"" + policies[i][0] + "\",\"allowed_ips\":[\""
                    + policies[i][1] + "\"]}").expect(201);
                String gw = unique("gw");
                server.post("/v1/service-accounts", admin(), "{\"name\":\"" + gw + "\",\"role\":\"" + role
                    + "\",\"network_policy\":\"" + policies[i][0] + "\"}").expect(201);
                keys[i] = server.createKey(gw, "k");
            }
            // the client is at 10.1.2.3: that must not let the gateway's key pass its own policy, nor refuse it
            assertThat(ask(ForwardAuth.GATEWAY_KEY, keys[0], "Authorization", "Bearer " + key, "X-Forwarded-For", "10.1.2.3").status())
                .isEqualTo(200);
            assertProblem(ask(ForwardAuth.GATEWAY_KEY, keys[1], "Authorization", "Bearer " + key, "X-Forwarded-For", "10.1.2.3"),
                401, "unauthenticated");
        }

        @Test
        void a_gateway_sees_only_its_own_organizations_credentials() {
            JsonNode org = server.post("/v1/orgs", admin(), "{\"name\":\"" + unique("acme") + "\",\"admin_username\":\"boss\","
                + "\"admin_email\":\"boss@acme.example\"}").expect(201).json();
            String otherOrgsAdmin = org.get("admin_key").asText();
            assertThat(ask(ForwardAuth.GATEWAY_KEY, otherOrgsAdmin, "Authorization", "Bearer " + otherOrgsAdmin).status())
                .isEqualTo(200);
            assertProblem(ask(ForwardAuth.GATEWAY_KEY, otherOrgsAdmin, "Authorization", "Bearer " + key, "X-Real-IP", "192.0.2.50"),
                401, "unauthenticated");
        }

        private double outcomes(String outcome) {
            String scrape = server.get("/metrics", null).expect(200).body();
            return scrape.lines().filter(l -> l.startsWith("servitor_forward_auth_total{outcome=\"" + outcome + "\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }
    }

    @Nested
    class Forbidden {
        @Test
        void a_permission_the_credential_lacks_is_403_naming_it() {
            Response r = askWith("GET", ForwardAuth.PATH + "?permission=models:delete", "Authorization", "Bearer " + key);
            assertProblem(r, 403, "forbidden");
            assertThat(r.json().get("detail").asText()).contains("'models:delete'");
        }

        @Test
        void every_asked_permission_must_be_held_so_a_client_can_only_add_requirements() {
            // the gateway asks for models:read; a client-supplied Servitor-Permission cannot lift that, only add to it
            String path = ForwardAuth.PATH + "?permission=models:delete";
            assertProblem(askWith("GET", path, "Authorization", "Bearer " + key, ForwardAuth.PERMISSION_HEADER, "models:read"), 403,
                "forbidden");
            assertProblem(askWith("GET", ForwardAuth.PATH + "?permission=models:read", "Authorization", "Bearer " + key,
                ForwardAuth.PERMISSION_HEADER, "models:delete"), 403, "forbidden");
            assertProblem(askWith("GET", ForwardAuth.PATH + "?permission=models:read&permission=models:delete", "Authorization",
                "Bearer " + key), 403, "forbidden");
        }

        @Test
        void the_client_address_from_the_gateway_meets_the_network_policy() {
            String policy = unique("office");
            server.post("/v1/network-policies", admin(), "{\"name\":\"" + policy + "\",\"allowed_ips\":[\"10.0.0.0/8\"]}").expect(201);
            String sa = unique("office-bot");
            server.post("/v1/service-accounts", admin(), "{\"name\":\"" + sa + "\",\"network_policy\":\"" + policy + "\"}").expect(201);
            String k = server.createKey(sa, "k");
            String auth = "Bearer " + k;
            assertThat(ask("Authorization", auth, "X-Real-IP", "10.1.2.3").status()).isEqualTo(200);
            assertProblem(ask("Authorization", auth, "X-Real-IP", "203.0.113.5"), 403, "ip_not_allowed");
            // X-Forwarded-For: the right-most entry is the one the gateway appended; the others are the client's say
            assertProblem(ask("Authorization", auth, "X-Forwarded-For", "10.1.2.3, 203.0.113.5"), 403, "ip_not_allowed");
            assertThat(ask("Authorization", auth, "X-Forwarded-For", "203.0.113.5, 10.1.2.3").status()).isEqualTo(200);
            // X-Forwarded-For first: Caddy, Traefik and Envoy write it, and pass on a client's own X-Real-IP
            assertProblem(ask("Authorization", auth, "X-Real-IP", "10.9.9.9", "X-Forwarded-For", "203.0.113.5"), 403,
                "ip_not_allowed");
            assertProblem(ask("Authorization", auth), 403, "ip_not_allowed"); // neither header: the gateway's own loopback address
        }

        @Test
        void a_request_carrying_its_own_identity_headers_is_refused() {
            for (String forged : new String[] {IdentityHeaders.PRINCIPAL_ID, "x-servitor-org", "X-Servitor-Anything-New"}) {
                Response r = ask("Authorization", "Bearer " + key, forged, "sa_admin");
                assertProblem(r, 403, "forbidden");
                assertThat(r.json().get("detail").asText()).containsIgnoringCase(forged);
            }
            assertProblem(ask("Authorization", "Bearer " + wellFormedUnknownKey(), "X-Real-IP", "192.0.2.60",
                IdentityHeaders.PRINCIPAL_ID, "sa_admin"), 401, "unauthenticated");
        }
    }

    @Nested
    class InvalidGatewayInput {
        @Test
        void a_malformed_client_address_is_422_naming_the_header() {
            Response r = ask("Authorization", "Bearer " + key, "X-Real-IP", "not-an-address");
            assertProblem(r, 422, "invalid_ip");
            assertThat(r.json().get("field").asText()).isEqualTo("X-Real-IP");
            assertThat(ask("Authorization", "Bearer " + key, "X-Forwarded-For", "10.0.0.1, 10.0.0.0/8").json().get("field").asText())
                .isEqualTo("X-Forwarded-For");
        }

        @Test
        void a_malformed_permission_is_422_naming_it() {
            Response r = askWith("GET", ForwardAuth.PATH + "?permission=models%20read", "Authorization", "Bearer " + key);
            assertProblem(r, 422, "invalid_value");
            assertThat(r.json().get("field").asText()).isEqualTo("permission");
        }

        @Test
        void the_gateway_key_is_checked_first() {
            assertProblem(ask(ForwardAuth.GATEWAY_KEY, wellFormedUnknownKey(), "Authorization", "Bearer " + key,
                "X-Real-IP", "nonsense"), 401, "unauthenticated");
        }
    }

    @Nested
    class RateLimited {
        @Test
        void a_flood_of_bad_keys_from_one_client_address_gets_429_with_retry_after_and_other_clients_go_on() {
            String from = "203.0.113.70";
            for (int i = 0; i < 5; i++) {
                assertProblem(ask("Authorization", "Bearer " + wellFormedUnknownKey(), "X-Real-IP", from), 401, "unauthenticated");
            }
            Response r = ask("Authorization", "Bearer " + wellFormedUnknownKey(), "X-Real-IP", from);
            assertProblem(r, 429, "rate_limited");
            assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 60L);
            assertThat(ask("Authorization", "Bearer " + key, "X-Real-IP", from).status())
                .as("a key that worked recently still works").isEqualTo(200);
            assertThat(ask("Authorization", "Bearer " + key, "X-Real-IP", "203.0.113.71").status()).isEqualTo(200);
            assertThat(ask("Authorization", "Bearer " + wellFormedUnknownKey(), "X-Real-IP", "203.0.113.72").status())
                .as("another client address").isEqualTo(401);
        }
    }

    @Test
    void identity_header_values_can_never_split_a_header() {
        assertThat(IdentityHeaders.safe("ci-bot")).isEqualTo("ci-bot");
        String evil = IdentityHeaders.safe("a\r\nX-Servitor-Principal-Id: sa_admin\u00e9%");
        assertThat(evil).doesNotContain("\r", "\n", " ").isEqualTo("a%0D%0AX-Servitor-Principal-Id:%20sa_admin%C3%A9%25");
    }
}
