// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Organizations, roles, groups and group-only mode, against a real server. */
abstract class AccessContract extends ApiContract {

    /** A fresh organization (so settings changes touch no other test) and its admin key. */
    private String newOrg() {
        String name = unique("org");
        JsonNode r = server.post("/v1/orgs", admin(), "{\"name\":\"" + name + "\",\"admin_username\":\"boss\",\"admin_email\":\"boss@"
            + name + ".example\"}").expect(201).json();
        assertThat(r.get("org").get("name").asText()).isEqualTo(name);
        return r.get("admin_key").asText();
    }

    private JsonNode verifyAs(String gateway, String credential, String permission) {
        return server.post("/v1/verify", gateway, "{\"credential\":\"" + credential + "\",\"permission\":\"" + permission + "\"}")
            .expect(200).json();
    }

    private String keyFor(String orgAdmin, String account, String body) {
        server.post("/v1/service-accounts", orgAdmin, body).expect(201);
        return server.post("/v1/service-accounts/" + account + "/keys", orgAdmin, "{\"name\":\"k\"}").expect(201).json().get("key").asText();
    }

    private static void assertCode(Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("code").asText()).isEqualTo(code);
    }

    @Nested
    class Organizations {
        @Test
        void organizations_are_isolated_and_names_repeat_across_them() {
            String other = newOrg();
            server.createServiceAccount("shared-name");
            String defaultKey = server.createKey("shared-name", "k");
            server.post("/v1/service-accounts", other, "{\"name\":\"shared-name\"}").expect(201);
            JsonNode mine = server.get("/v1/service-accounts/shared-name", other).expect(200).json();
            assertThat(mine.get("email").asText()).contains(".sa.").doesNotStartWith("shared-name@default.");
            assertThat(server.get("/v1/service-accounts", other).json().get("service_accounts")).hasSize(1);
            assertThat(verifyAs(other, defaultKey, "x").get("code").asText()).as("another tenant's key").isEqualTo("NOT_FOUND");
            JsonNode org = server.get("/v1/org", other).expect(200).json();
            assertThat(org.get("usage").get("service_accounts").asLong()).isEqualTo(1);
            assertThat(org.get("quotas").get("max_keys_per_service_account").asInt()).isEqualTo(50);
            assertThat(org.get("quotas").get("max_keys_per_user").asInt()).isEqualTo(5);
        }

        @Test
        void only_the_instance_operator_creates_and_lists_organizations() {
            String other = newOrg();
            assertCode(server.post("/v1/orgs", other, "{\"name\":\"sneaky\",\"admin_username\":\"a\",\"admin_email\":\"a@b.c\"}"), 403, "forbidden");
            assertCode(server.get("/v1/orgs", other), 403, "forbidden");
            assertThat(server.get("/v1/orgs", admin()).expect(200).json().get("orgs")).extracting(o -> o.get("name").asText()).contains("default");
            assertCode(server.post("/v1/orgs", admin(), "{\"name\":\"default\",\"admin_username\":\"a\",\"admin_email\":\"a@b.c\"}"), 409, "org_exists");
            assertCode(server.post("/v1/orgs", admin(), "{\"name\":\"bad name\",\"admin_username\":\"a\",\"admin_email\":\"a@b.c\"}"), 422, "invalid_name");
        }

        @Test
        void quotas_and_token_lifetime_are_enforced() {
            String other = newOrg();
            server.patch("/v1/org", other, "{\"quotas\":{\"max_service_accounts\":2,\"max_keys_per_service_account\":2},"
                + "\"access_token_lifetime_seconds\":600}").expect(200);
            server.post("/v1/service-accounts", other, "{\"name\":\"a\"}").expect(201);
            server.post("/v1/service-accounts", other, "{\"name\":\"b\"}").expect(201);
            assertCode(server.post("/v1/service-accounts", other, "{\"name\":\"c\"}"), 409, "quota_exceeded");
            server.post("/v1/service-accounts/a/keys", other, "{\"name\":\"1\"}").expect(201);
            server.post("/v1/service-accounts/a/keys", other, "{\"name\":\"2\"}").expect(201);
            assertCode(server.post("/v1/service-accounts/a/keys", other, "{\"name\":\"3\"}"), 409, "key_limit_reached");
            JsonNode secret = server.post("/v1/service-accounts/a/secret", other, null).expect(201).json();
            Response token = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                    + secret.get("client_id").asText() + "&client_secret=" + secret.get("client_secret").asText())).build());
            assertThat(token.expect(200).json().get("expires_in").asLong()).isEqualTo(600);
            Response bad = server.patch("/v1/org", other, "{\"access_token_lifetime_seconds\":5}");
            assertCode(bad, 422, "invalid_value");
            assertThat(bad.json().get("field").asText()).isEqualTo("access_token_lifetime_seconds");
            assertThat(server.patch("/v1/org", other, "{\"quotas\":{\"max_service_accounts\":0}}").json().get("field").asText())
                .isEqualTo("quotas.max_service_accounts");
            assertCode(server.patch("/v1/org", other, "{\"quotas\":{\"colour\":1}}"), 400, "unknown_field");
        }

        @Test
        void the_organization_takes_a_network_policy_in_one_transaction_with_its_settings() {
            String other = newOrg();
            server.post("/v1/network-policies", other, "{\"name\":\"anywhere\",\"allowed_ips\":[\"0.0.0.0/0\",\"::/0\"]}").expect(201);
            Response unknown = server.patch("/v1/org", other, "{\"network_policy\":\"nope\",\"access_token_lifetime_seconds\":900}");
            assertCode(unknown, 422, "unknown_network_policy");
            JsonNode unchanged = server.get("/v1/org", other).expect(200).json();
            assertThat(unchanged.get("access_token_lifetime_seconds").asLong()).isEqualTo(86_400);
            assertThat(unchanged.get("network_policy").isNull()).isTrue();
            JsonNode set = server.patch("/v1/org", other, "{\"network_policy\":\"anywhere\"}").expect(200).json();
            assertThat(set.get("network_policy").asText()).isEqualTo("anywhere");
            assertCode(server.delete("/v1/network-policies/anywhere", other), 409, "policy_in_use");
            assertThat(server.patch("/v1/org", other, "{\"network_policy\":null}").expect(200).json().get("network_policy").isNull()).isTrue();
            server.delete("/v1/network-policies/anywhere", other).expect(204);
        }

        @Test
        void the_service_account_quota_holds_under_concurrent_creates() throws Exception {
            String other = newOrg();
            server.patch("/v1/org", other, "{\"quotas\":{\"max_service_accounts\":5}}").expect(200);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Response>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    go.await();
                    return server.post("/v1/service-accounts", other, "{\"name\":\"racer-" + n + "\"}");
                }));
            }
            go.countDown();
            int created = 0;
            int refused = 0;
            for (var f : results) {
                Response r = f.get();
                if (r.status() == 201) created++;
                else if (r.status() == 409 && r.json().get("code").asText().equals("quota_exceeded")) refused++;
            }
            pool.shutdown();
            assertThat(created).isEqualTo(5);
            assertThat(refused).isEqualTo(15);
            assertThat(server.get("/v1/org", other).json().get("usage").get("service_accounts").asLong()).isEqualTo(5);
        }

        @Test
        void a_deleted_service_account_frees_its_place_in_the_quota() {
            String other = newOrg();
            server.patch("/v1/org", other, "{\"quotas\":{\"max_service_accounts\":2}}").expect(200);
            server.post("/v1/service-accounts", other, "{\"name\":\"first\"}").expect(201);
            server.post("/v1/service-accounts", other, "{\"name\":\"second\"}").expect(201);
            assertCode(server.post("/v1/service-accounts", other, "{\"name\":\"third\"}"), 409, "quota_exceeded");
            server.delete("/v1/service-accounts/first", other).expect(204);
            server.delete("/v1/service-accounts/first", other).expect(404);
            assertThat(server.get("/v1/org", other).json().get("usage").get("service_accounts").asLong()).isEqualTo(1);
            assertCode(server.post("/v1/service-accounts", other, "{\"name\":\"second\"}"), 409, "service_account_exists"); // counts nothing
            server.post("/v1/service-accounts", other, "{\"name\":\"third\"}").expect(201);
            assertThat(server.get("/v1/org", other).json().get("usage").get("service_accounts").asLong()).isEqualTo(2);
        }

        @Test
        void verifications_are_counted_per_organization() {
            String other = newOrg();
            String key = keyFor(other, "counted", "{\"name\":\"counted\"}");
            for (int i = 0; i < 3; i++) verifyAs(other, key, "x");
            server.servitor().usage().flush();
            assertThat(server.get("/v1/org", other).json().get("usage").get("verifications_this_month").asLong()).isEqualTo(3);
        }
    }

    @Nested
    class RolesAndGroups {
        @Test
        void a_custom_role_grants_its_permissions_and_changes_apply_to_the_next_request() {
            String org = newOrg();
            assertThat(server.get("/v1/roles", org).expect(200).json().get("roles")).extracting(r -> r.get("name").asText())
                .contains("admin", "contributor", "user", "viewer", "inference-user");
            server.post("/v1/roles", org, "{\"name\":\"deployer\",\"permissions\":[\"deployments:create\",\"deployments:read\"]}").expect(201);
            String key = keyFor(org, "deploy-bot", "{\"name\":\"deploy-bot\",\"role\":\"deployer\"}");
            assertThat(verifyAs(org, key, "deployments:create").get("code").asText()).isEqualTo("VALID");
            assertThat(verifyAs(org, key, "deployments:delete").get("code").asText()).isEqualTo("FORBIDDEN");
            server.patch("/v1/roles/deployer", org, "{\"permissions\":[\"deployments:*\"]}").expect(200);
            assertThat(verifyAs(org, key, "deployments:delete").get("code").asText()).isEqualTo("VALID");
            assertCode(server.delete("/v1/roles/deployer", org), 409, "role_in_use");
            server.patch("/v1/service-accounts/deploy-bot", org, "{\"role\":\"viewer\"}").expect(200);
            assertThat(verifyAs(org, key, "deployments:delete").get("code").asText()).isEqualTo("FORBIDDEN");
            assertThat(verifyAs(org, key, "deployments:read").get("code").asText()).as("viewer holds *:read").isEqualTo("VALID");
            server.delete("/v1/roles/deployer", org).expect(204);
        }

        @Test
        void roles_are_validated() {
            String org = newOrg();
            assertCode(server.post("/v1/roles", org, "{\"name\":\"viewer\",\"permissions\":[]}"), 409, "role_exists");
            Response bad = server.post("/v1/roles", org, "{\"name\":\"r1\",\"permissions\":[\"ok:read\",\"no spaces\"]}");
            assertCode(bad, 422, "invalid_value");
            assertThat(bad.json().get("field").asText()).isEqualTo("permissions[1]");
            assertCode(server.post("/v1/service-accounts", org, "{\"name\":\"x\",\"role\":\"emperor\"}"), 422, "unknown_role");
            assertCode(server.patch("/v1/roles/admin", org, "{\"permissions\":[]}"), 422, "invalid_value");
            assertCode(server.get("/v1/roles/nope", org), 404, "role_not_found");
        }

        @Test
        void groups_add_their_roles_and_filter_lists() {
            String org = newOrg();
            server.post("/v1/roles", org, "{\"name\":\"billing\",\"permissions\":[\"invoices:read\"]}").expect(201);
            server.post("/v1/groups", org, "{\"name\":\"finance\",\"roles\":[\"billing\"]}").expect(201);
            assertCode(server.post("/v1/groups", org, "{\"name\":\"g2\",\"roles\":[\"emperor\"]}"), 422, "unknown_role");
            String key = keyFor(org, "ledger", "{\"name\":\"ledger\",\"role\":\"inference-user\",\"groups\":[\"finance\"]}");
            JsonNode sa = server.get("/v1/service-accounts/ledger", org).expect(200).json();
            assertThat(sa.get("groups")).extracting(JsonNode::asText).containsExactly("finance");
            assertThat(verifyAs(org, key, "invoices:read").get("code").asText()).isEqualTo("VALID");
            assertThat(verifyAs(org, key, "inference:run").get("code").asText()).as("its own role still counts").isEqualTo("VALID");
            assertThat(server.get("/v1/service-accounts?group=finance", org).json().get("service_accounts")).hasSize(1);
            server.post("/v1/service-accounts", org, "{\"name\":\"outsider\"}").expect(201);
            assertThat(server.get("/v1/service-accounts?group=finance", org).json().get("service_accounts"))
                .extracting(n -> n.get("name").asText()).containsExactly("ledger");
            server.patch("/v1/groups/finance", org, "{\"roles\":[]}").expect(200);
            assertThat(verifyAs(org, key, "invoices:read").get("code").asText()).isEqualTo("FORBIDDEN");
            assertCode(server.patch("/v1/service-accounts/ledger", org, "{\"groups\":[\"nope\"]}"), 422, "unknown_group");
        }

        @Test
        void group_only_mode_requires_a_group_and_ignores_direct_role_and_admin_flag() {
            String org = newOrg();
            server.post("/v1/groups", org, "{\"name\":\"ci\",\"roles\":[\"viewer\"]}").expect(201);
            server.patch("/v1/org", org, "{\"service_accounts_require_group\":true}").expect(200);
            assertCode(server.post("/v1/service-accounts", org, "{\"name\":\"lonely\"}"), 422, "group_required");
            String key = keyFor(org, "datafold-bot", "{\"name\":\"datafold-bot\",\"role\":\"admin\",\"is_org_admin\":true,\"groups\":[\"ci\"]}");
            JsonNode me = server.get("/v1/whoami", key).expect(200).json();
            assertThat(me.get("permissions")).extracting(JsonNode::asText).containsExactly("*:read");
            assertCode(server.get("/v1/service-accounts", key), 403, "forbidden");
            assertCode(server.patch("/v1/service-accounts/datafold-bot", org, "{\"groups\":[]}"), 422, "group_required");
            assertCode(server.delete("/v1/groups/ci", org), 422, "group_required");
            server.patch("/v1/org", org, "{\"service_accounts_require_group\":false}").expect(200);
            assertThat(server.get("/v1/service-accounts", key).status()).as("the admin flag counts again").isEqualTo(200);
        }

        @Test
        void only_org_admins_manage_roles_and_groups() {
            String org = newOrg();
            String key = keyFor(org, "plain", "{\"name\":\"plain\"}");
            assertCode(server.post("/v1/roles", key, "{\"name\":\"r\",\"permissions\":[]}"), 403, "forbidden");
            assertCode(server.get("/v1/groups", key), 403, "forbidden");
            assertCode(server.get("/v1/org", key), 403, "forbidden");
        }
    }
}
