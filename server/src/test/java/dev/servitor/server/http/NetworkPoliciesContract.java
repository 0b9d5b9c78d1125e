// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.caller.Caller;
import dev.servitor.server.testing.TestServer.Response;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** /v1/network-policies, attaching them, and their enforcement on /v1, /oauth/token and /v1/verify. */
abstract class NetworkPoliciesContract extends ProxiedContract {

    /** A service account with the policy attached and a key; returns the key. */
    private String keyUnder(String policy) {
        String sa = unique("guarded");
        server.post("/v1/service-accounts", admin(), "{\"name\":\"" + sa + "\",\"network_policy\":\"" + policy + "\"}").expect(201);
        return server.createKey(sa, "k");
    }

    private JsonNode verify(String credential, String ip, String from) {
        String body = "{\"credential\":\"" + credential + "\"" + (ip == null ? "" : ",\"ip\":\"" + ip + "\"") + "}";
        return call("POST", "/v1/verify", admin(), body, from).expect(200).json();
    }

    @Nested
    class Crud {
        @Test
        void a_policy_is_created_read_listed_changed_and_deleted() {
            String name = unique("office");
            JsonNode created = server.post("/v1/network-policies", admin(), "{\"name\":\"" + name
                + "\",\"description\":\"HQ\",\"allowed_ips\":[\"203.0.113.0/24\",\"2001:db8::/32\"],\"blocked_ips\":[\"203.0.113.66\"]}")
                .expect(201).json();
            assertThat(created.get("name").asText()).isEqualTo(name);
            assertThat(created.get("id").asText()).startsWith("np_");
            assertThat(created.get("description").asText()).isEqualTo("HQ");
            assertThat(created.get("allowed_ips")).extracting(JsonNode::asText).containsExactly("203.0.113.0/24", "2001:db8::/32");
            assertThat(created.get("blocked_ips")).extracting(JsonNode::asText).containsExactly("203.0.113.66");
            assertThat(server.get("/v1/network-policies/" + name, admin()).expect(200).json()).isEqualTo(created);
            assertThat(server.get("/v1/network-policies?page_size=1000", admin()).expect(200).json().get("network_policies"))
                .extracting(p -> p.get("name").asText()).contains(name);

            JsonNode changed = server.patch("/v1/network-policies/" + name, admin(), "{\"blocked_ips\":[],\"description\":\"moved\"}")
                .expect(200).json();
            assertThat(changed.get("blocked_ips")).isEmpty();
            assertThat(changed.get("allowed_ips")).hasSize(2);
            assertThat(changed.get("description").asText()).isEqualTo("moved");

            server.delete("/v1/network-policies/" + name, admin()).expect(204);
            assertProblem(server.get("/v1/network-policies/" + name, admin()), 404, "network_policy_not_found");
        }

        @Test
        void a_second_policy_of_the_same_name_is_409() {
            String name = policy(List.of(), List.of());
            assertProblem(server.post("/v1/network-policies", admin(), "{\"name\":\"" + name + "\"}"), 409, "network_policy_exists");
        }

        @Test
        void an_invalid_entry_is_422_naming_it() {
            Response r = server.post("/v1/network-policies", admin(),
                "{\"name\":\"" + unique("bad") + "\",\"allowed_ips\":[\"10.0.0.0/8\",\"::1\",\"10.0.0.300\"]}");
            assertProblem(r, 422, "invalid_ip");
            assertThat(r.json().get("field").asText()).isEqualTo("allowed_ips[2]");
            Response b = server.post("/v1/network-policies", admin(),
                "{\"name\":\"" + unique("bad") + "\",\"blocked_ips\":[\"2001:db8::/129\"]}");
            assertProblem(b, 422, "invalid_ip");
            assertThat(b.json().get("field").asText()).isEqualTo("blocked_ips[0]");
            String name = policy(List.of(), List.of());
            Response p = server.patch("/v1/network-policies/" + name, admin(), "{\"blocked_ips\":[\"1.2.3.4\",\"nope\"]}");
            assertThat(p.json().get("field").asText()).isEqualTo("blocked_ips[1]");
            assertProblem(server.post("/v1/network-policies", admin(), "{\"name\":\"-bad\"}"), 422, "invalid_name");
        }

        @Test
        void an_entry_with_a_leading_zero_host_bits_or_a_zone_is_422_naming_the_field_and_the_entry() {
            for (String bad : List.of("010.0.0.1", "10.0.0.1/8", "fe80::1%eth0")) {
                Response r = server.post("/v1/network-policies", admin(),
                    "{\"name\":\"" + unique("odd") + "\",\"allowed_ips\":[\"10.0.0.0/8\",\"" + bad + "\"]}");
                assertProblem(r, 422, "invalid_ip");
                assertThat(r.json().get("field").asText()).as(bad).isEqualTo("allowed_ips[1]");
                assertThat(r.json().get("detail").asText()).as(bad).contains("allowed_ips[1]").contains(bad);
            }
            String name = policy(List.of(), List.of());
            Response p = server.patch("/v1/network-policies/" + name, admin(), "{\"blocked_ips\":[\"192.168.001.0/24\"]}");
            assertProblem(p, 422, "invalid_ip");
            assertThat(p.json().get("field").asText()).isEqualTo("blocked_ips[0]");
        }

        @Test
        void a_policy_that_is_not_a_list_of_strings_is_400() {
            assertProblem(server.post("/v1/network-policies", admin(), "{\"name\":\"x\",\"allowed_ips\":\"10.0.0.1\"}"), 400, "invalid_type");
        }

        @Test
        void only_org_admins_manage_policies() {
            String sa = unique("plain");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            assertProblem(server.post("/v1/network-policies", key, "{\"name\":\"" + unique("x") + "\"}"), 403, "forbidden");
            assertProblem(server.get("/v1/network-policies", key), 403, "forbidden");
        }

        @Test
        void a_policy_in_use_cannot_be_deleted_until_detached() {
            String name = policy(List.of("0.0.0.0/0", "::/0"), List.of());
            String sa = unique("user-of");
            server.post("/v1/service-accounts", admin(), "{\"name\":\"" + sa + "\",\"network_policy\":\"" + name + "\"}").expect(201);
            assertProblem(server.delete("/v1/network-policies/" + name, admin()), 409, "policy_in_use");
            server.patch("/v1/service-accounts/" + sa, admin(), "{\"network_policy\":null}").expect(200);
            server.delete("/v1/network-policies/" + name, admin()).expect(204);
        }

        @Test
        void renaming_a_policy_keeps_it_attached() {
            String name = policy(List.of("203.0.113.0/24"), List.of());
            String key = keyUnder(name);
            String renamed = unique("renamed");
            server.patch("/v1/network-policies/" + name, admin(), "{\"name\":\"" + renamed + "\"}").expect(200);
            assertThat(whoami(key, "198.51.100.1").status()).isEqualTo(403);
            assertThat(whoami(key, "203.0.113.1").status()).isEqualTo(200);
            assertProblem(server.delete("/v1/network-policies/" + renamed, admin()), 409, "policy_in_use");
        }

        @Test
        void changes_are_audited() {
            String name = policy(List.of(), List.of("198.51.100.7"));
            server.patch("/v1/network-policies/" + name, admin(), "{\"blocked_ips\":[]}").expect(200);
            server.delete("/v1/network-policies/" + name, admin()).expect(204);
            JsonNode events = server.get("/v1/audit-events?target=network_policy:" + name, admin()).expect(200).json();
            assertThat(events.toString()).contains("network_policy.create", "network_policy.update", "network_policy.delete");
        }
    }

    @Nested
    class Attaching {
        @Test
        void a_service_account_takes_an_existing_policy_and_patch_null_clears_it() {
            String name = policy(List.of(), List.of());
            String other = policy(List.of(), List.of());
            String sa = unique("attached");
            JsonNode created = server.post("/v1/service-accounts", admin(), "{\"name\":\"" + sa + "\",\"network_policy\":\"" + name + "\"}")
                .expect(201).json();
            assertThat(created.get("network_policy").asText()).isEqualTo(name);
            assertThat(server.patch("/v1/service-accounts/" + sa, admin(), "{\"network_policy\":\"" + other + "\"}").expect(200)
                .json().get("network_policy").asText()).isEqualTo(other);
            assertThat(server.patch("/v1/service-accounts/" + sa, admin(), "{\"network_policy\":null}").expect(200)
                .json().get("network_policy").isNull()).isTrue();
        }

        @Test
        void an_unknown_policy_is_422() {
            Response r = server.post("/v1/service-accounts", admin(), "{\"name\":\"" + unique("sa") + "\",\"network_policy\":\"nope\"}");
            assertProblem(r, 422, "unknown_network_policy");
            assertThat(r.json().get("field").asText()).isEqualTo("network_policy");
            String sa = unique("sa");
            server.createServiceAccount(sa);
            assertProblem(server.patch("/v1/service-accounts/" + sa, admin(), "{\"network_policy\":\"nope\"}"), 422, "unknown_network_policy");
        }
    }

    @Nested
    class EnforcedOnV1 {
        @Test
        void an_ipv4_allow_list_refuses_other_addresses_with_403() {
            String key = keyUnder(policy(List.of("203.0.113.0/24"), List.of()));
            assertThat(whoami(key, "203.0.113.7").status()).isEqualTo(200);
            Response refused = whoami(key, "198.51.100.7");
            assertProblem(refused, 403, "ip_not_allowed");
            assertThat(refused.header("WWW-Authenticate")).isNull();
        }

        @Test
        void an_ipv6_allow_list_refuses_other_addresses_with_403() {
            String key = keyUnder(policy(List.of("2001:db8::/32"), List.of()));
            assertThat(whoami(key, "2001:db8:1::5").status()).isEqualTo(200);
            assertProblem(whoami(key, "2001:db9::5"), 403, "ip_not_allowed");
            assertProblem(whoami(key, "203.0.113.7"), 403, "ip_not_allowed");
        }

        @Test
        void a_blocked_entry_wins_over_an_allowed_one() {
            String key = keyUnder(policy(List.of("10.0.0.0/8", "2001:db8::/32"), List.of("10.1.0.0/16", "2001:db8:bad::/48")));
            assertThat(whoami(key, "10.2.0.1").status()).isEqualTo(200);
            assertProblem(whoami(key, "10.1.0.1"), 403, "ip_not_allowed");
            assertThat(whoami(key, "2001:db8:1::1").status()).isEqualTo(200);
            assertProblem(whoami(key, "2001:db8:bad::1"), 403, "ip_not_allowed");
        }

        @Test
        void a_change_applies_to_the_very_next_request() {
            String name = policy(List.of("192.0.2.0/24"), List.of());
            String key = keyUnder(name);
            assertThat(whoami(key, "198.51.100.9").status()).isEqualTo(403);
            server.patch("/v1/network-policies/" + name, admin(), "{\"allowed_ips\":[\"192.0.2.0/24\",\"198.51.100.0/24\"]}").expect(200);
            assertThat(whoami(key, "198.51.100.9").status()).isEqualTo(200);
            server.patch("/v1/network-policies/" + name, admin(), "{\"blocked_ips\":[\"198.51.100.9\"]}").expect(200);
            assertThat(whoami(key, "198.51.100.9").status()).isEqualTo(403);
        }

        @Test
        void attaching_and_detaching_apply_to_the_very_next_request() {
            String sa = unique("toggled");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            assertThat(whoami(key, "198.51.100.10").status()).isEqualTo(200);
            String name = policy(List.of(), List.of("198.51.100.10"));
            server.patch("/v1/service-accounts/" + sa, admin(), "{\"network_policy\":\"" + name + "\"}").expect(200);
            assertThat(whoami(key, "198.51.100.10").status()).isEqualTo(403);
            server.patch("/v1/service-accounts/" + sa, admin(), "{\"network_policy\":null}").expect(200);
            assertThat(whoami(key, "198.51.100.10").status()).isEqualTo(200);
        }

        @Test
        void the_organization_policy_applies_to_every_principal_of_it() {
            String name = policy(List.of(), List.of("198.51.100.66", "2001:db8:66::/48"));
            Caller admin = server.servitor().verifier().verify(admin(), "127.0.0.1").caller();
            try {
                server.servitor().networkPolicies().attachToOrganization(admin, name);
                assertProblem(whoami(admin(), "198.51.100.66"), 403, "ip_not_allowed");
                assertProblem(whoami(admin(), "2001:db8:66::1"), 403, "ip_not_allowed");
                assertThat(whoami(admin(), "198.51.100.67").status()).isEqualTo(200);
                assertProblem(server.delete("/v1/network-policies/" + name, admin()), 409, "policy_in_use");
            } finally {
                server.servitor().networkPolicies().attachToOrganization(admin, null);
            }
            assertThat(whoami(admin(), "198.51.100.66").status()).isEqualTo(200);
        }

        @Test
        void the_audit_log_records_the_forwarded_client_address() {
            String name = unique("audited");
            call("POST", "/v1/service-accounts", admin(), "{\"name\":\"" + name + "\"}", "2001:db8::42").expect(201);
            JsonNode events = server.get("/v1/audit-events?target=service_account:" + name, admin()).expect(200).json();
            assertThat(events.toString()).contains("2001:db8::42");
        }
    }

    @Nested
    class EnforcedAtTheTokenEndpoint {
        @Test
        void a_client_outside_its_policy_gets_access_denied() {
            Client c = client("oauth-guarded");
            String name = policy(List.of("203.0.113.0/24", "2001:db8::/32"), List.of());
            server.patch("/v1/service-accounts/" + c.name(), admin(), "{\"network_policy\":\"" + name + "\"}").expect(200);
            assertThat(token(c.id(), c.secret(), "203.0.113.8").expect(200).json().get("access_token").asText()).isNotEmpty();
            assertThat(token(c.id(), c.secret(), "2001:db8::8").status()).isEqualTo(200);
            for (String from : List.of("198.51.100.8", "2001:db9::8")) {
                Response r = token(c.id(), c.secret(), from);
                assertThat(r.status()).as(from).isEqualTo(403);
                assertThat(r.json().get("error").asText()).isEqualTo("access_denied");
                assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            }
        }

        @Test
        void a_token_issued_inside_is_refused_outside() {
            Client c = client("oauth-carried");
            String name = policy(List.of("203.0.113.0/24"), List.of());
            server.patch("/v1/service-accounts/" + c.name(), admin(), "{\"network_policy\":\"" + name + "\"}").expect(200);
            String jwt = token(c.id(), c.secret(), "203.0.113.9").expect(200).json().get("access_token").asText();
            assertThat(whoami(jwt, "203.0.113.9").status()).isEqualTo(200);
            assertProblem(whoami(jwt, "198.51.100.9"), 403, "ip_not_allowed");
        }
    }

    @Nested
    class EnforcedAtVerify {
        @Test
        void verify_answers_ip_not_allowed_for_the_given_address() {
            String key = keyUnder(policy(List.of("203.0.113.0/24", "2001:db8::/32"), List.of()));
            assertThat(verify(key, "203.0.113.5", null).get("code").asText()).isEqualTo("VALID");
            assertThat(verify(key, "2001:db8::5", null).get("code").asText()).isEqualTo("VALID");
            JsonNode refused = verify(key, "198.51.100.5", null);
            assertThat(refused.get("valid").asBoolean()).isFalse();
            assertThat(refused.get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
            assertThat(verify(key, "2001:db9::5", null).get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
        }

        @Test
        void without_an_ip_verify_uses_the_gateways_own_address() {
            String key = keyUnder(policy(List.of("203.0.113.0/24"), List.of()));
            assertThat(verify(key, null, "203.0.113.77").get("code").asText()).isEqualTo("VALID");
            assertThat(verify(key, null, "198.51.100.77").get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
        }

        @Test
        void an_ip_that_is_not_an_address_is_422() {
            Response r = call("POST", "/v1/verify", admin(), "{\"credential\":\"" + admin() + "\",\"ip\":\"10.0.0.0/8\"}", null);
            assertProblem(r, 422, "invalid_ip");
            assertThat(r.json().get("field").asText()).isEqualTo("ip");
        }
    }
}
