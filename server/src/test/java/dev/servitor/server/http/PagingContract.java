// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every list pages the same way (api.md "Conventions"): {@code page_size} (default 50, max 1000),
 * {@code page_token}, {@code next_page_token} absent on the last page; walking the pages gives
 * every item once, in order; a token the server did not write is 400 naming {@code page_token}.
 */
abstract class PagingContract extends ApiContract {

    /** One list of the API: where it is, which member holds the items and which names them. */
    private record Listing(String path, String key, String items, String name) {
        String url(String query) {
            return path + (path.contains("?") ? "&" : "?") + query;
        }
    }

    private String newOrg() {
        String name = unique("paging-org");
        return server.post("/v1/orgs", admin(), "{\"name\":\"" + name + "\",\"admin_username\":\"boss\",\"admin_email\":\"boss@"
            + name + ".example\"}").expect(201).json().get("admin_key").asText();
    }

    /** Every page of {@code list} at {@code pageSize}, checking each page's shape; the names in page order. */
    private List<String> walk(Listing list, int pageSize) {
        List<String> names = new ArrayList<>();
        String token = null;
        for (int pages = 1; ; pages++) {
            assertThat(pages).as("pages of " + list.path()).isLessThan(500);
            String query = "page_size=" + pageSize + (token == null ? "" : "&page_token=" + enc(token));
            JsonNode body = server.get(list.url(query), list.key()).expect(200).json();
            JsonNode items = body.get(list.items());
            items.forEach(i -> names.add(i.get(list.name()).asText()));
            if (!body.has("next_page_token")) {
                assertThat(items.size()).isLessThanOrEqualTo(pageSize);
                return names;
            }
            assertThat(items.size()).as("a page before the last is full").isEqualTo(pageSize);
            token = body.get("next_page_token").asText();
        }
    }

    /** Walks {@code list} two items a page and compares with one page of 1000. */
    private List<String> assertPagesCoverTheListOnce(Listing list) {
        List<String> byTwo = walk(list, 2);
        List<String> whole = names(server.get(list.url("page_size=1000"), list.key()).expect(200).json().get(list.items()), list.name());
        assertThat(byTwo).as(list.path()).hasSizeGreaterThan(2).doesNotHaveDuplicates().isEqualTo(whole);
        return byTwo;
    }

    private static List<String> names(JsonNode items, String field) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.get(field).asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void create(int n, String base, Consumer<String> make) {
        for (int i = 0; i < n; i++) make.accept(unique(base));
    }

    @Test
    void users_groups_roles_workspaces_and_their_users_page_in_name_order() {
        String org = newOrg();
        create(3, "u", n -> server.post("/v1/users", org, "{\"username\":\"" + n + "\",\"email\":\"" + n + "@example.com\"}").expect(201));
        create(3, "g", n -> server.post("/v1/groups", org, "{\"name\":\"" + n + "\",\"roles\":[\"viewer\",\"user\"]}").expect(201));
        create(3, "r", n -> server.post("/v1/roles", org, "{\"name\":\"" + n + "\",\"permissions\":[\"x:read\"]}").expect(201));
        create(3, "w", n -> server.post("/v1/workspaces", org, "{\"name\":\"" + n + "\"}").expect(201));
        create(5, "wu", n -> server.post("/v1/workspaces/default/users", org, "{\"name\":\"" + n + "\"}").expect(201));

        for (Listing list : List.of(new Listing("/v1/users", org, "users", "username"), new Listing("/v1/groups", org, "groups", "name"),
                new Listing("/v1/roles", org, "roles", "name"), new Listing("/v1/workspaces", org, "workspaces", "name"),
                new Listing("/v1/workspaces/default/users", org, "users", "name"))) {
            List<String> names = assertPagesCoverTheListOnce(list);
            assertThat(names).as(list.path()).isSorted();
        }
        // built-in and custom roles are one list; a group's roles survive the page-at-once read
        assertThat(walk(new Listing("/v1/roles", org, "roles", "name"), 3))
            .contains("admin", "contributor", "inference-user", "user", "viewer").hasSize(8);
        assertThat(server.get("/v1/groups?page_size=1", org).json().get("groups").get(0).get("roles"))
            .extracting(JsonNode::asText).containsExactly("user", "viewer");
    }

    @Test
    void organizations_service_accounts_policies_and_audit_events_page_too() {
        String org = newOrg();
        create(3, "sa", n -> server.post("/v1/service-accounts", org, "{\"name\":\"" + n + "\"}").expect(201));
        create(3, "np", n -> server.post("/v1/network-policies", org, "{\"name\":\"" + n + "\",\"allowed_ips\":[\"10.0.0.0/8\"]}").expect(201));
        assertThat(assertPagesCoverTheListOnce(new Listing("/v1/orgs", admin(), "orgs", "name"))).isSorted();
        assertThat(assertPagesCoverTheListOnce(new Listing("/v1/service-accounts", org, "service_accounts", "name"))).isSorted();
        assertThat(assertPagesCoverTheListOnce(new Listing("/v1/network-policies", org, "network_policies", "name"))).isSorted();
        assertPagesCoverTheListOnce(new Listing("/v1/audit-events", org, "audit_events", "id"));
    }

    @Test
    void a_list_without_page_size_answers_fifty_and_then_the_rest() {
        String org = newOrg();
        create(51, "many", n -> server.post("/v1/workspaces/default/users", org, "{\"name\":\"" + n + "\"}").expect(201));
        JsonNode first = server.get("/v1/workspaces/default/users", org).expect(200).json();
        assertThat(first.get("users")).hasSize(50);
        JsonNode rest = server.get("/v1/workspaces/default/users?page_token=" + enc(first.get("next_page_token").asText()), org)
            .expect(200).json();
        assertThat(rest.get("users")).hasSize(1);
        assertThat(rest.has("next_page_token")).as("absent on the last page").isFalse();
    }

    @Test
    void a_token_the_server_did_not_write_is_400_naming_page_token_on_every_list() {
        String org = newOrg();
        create(3, "t", n -> server.post("/v1/users", org, "{\"username\":\"" + n + "\",\"email\":\"" + n + "@example.com\"}").expect(201));
        String real = server.get("/v1/users?page_size=1", org).expect(200).json().get("next_page_token").asText();
        char middle = real.charAt(real.length() / 2);
        String tampered = real.substring(0, real.length() / 2) + (middle == 'A' ? 'B' : 'A') + real.substring(real.length() / 2 + 1);
        char last = real.charAt(real.length() - 1);
        String lastChanged = real.substring(0, real.length() - 1) + (last == 'A' ? 'B' : 'A');
        List<String> forged = List.of("garbage", "AA", "AAAA", "%00", "!!!!", real + "=", real + "A", real.substring(0, real.length() - 2),
            tampered, lastChanged, "A".repeat(5000), "6IGo5rK6", "\u00e9t\u00e9");

        List<String> paths = List.of("/v1/users", "/v1/groups", "/v1/roles", "/v1/workspaces", "/v1/workspaces/default/users",
            "/v1/service-accounts", "/v1/network-policies", "/v1/audit-events");
        for (String path : paths) {
            for (String token : forged) {
                String query = token.equals("%00") ? "page_token=%00" : "page_token=" + enc(token);
                Response r = server.get(path + "?" + query, org);
                // a NUL in any parameter is 422 (the contract's conventions); any other token not ours is 400
                boolean nul = token.equals("%00");
                assertThat(r.status()).as(path + " " + token + ": " + r.body()).isEqualTo(nul ? 422 : 400);
                assertThat(r.json().get("code").asText()).isEqualTo(nul ? "invalid_value" : "invalid_page_token");
                assertThat(r.json().get("field").asText()).isEqualTo("page_token");
            }
        }
        Response orgs = server.get("/v1/orgs?page_token=garbage", admin());
        assertThat(orgs.status()).isEqualTo(400);
        assertThat(orgs.json().get("field").asText()).isEqualTo("page_token");
        // the real token still works, and an empty one is the first page
        assertThat(server.get("/v1/users?page_size=1&page_token=" + enc(real), org).expect(200).json().get("users")).hasSize(1);
        assertThat(server.get("/v1/users?page_token=", org).expect(200).json().get("users")).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void a_page_size_out_of_range_names_page_size() {
        String org = newOrg();
        for (String path : List.of("/v1/users", "/v1/groups", "/v1/roles", "/v1/workspaces", "/v1/workspaces/default/users")) {
            for (String size : List.of("0", "-1", "1001", "99999999999", "x", "1.5")) {
                Response r = server.get(path + "?page_size=" + size, org);
                assertThat(r.status()).as(path + " " + size).isIn(400, 422);
                assertThat(r.json().get("field").asText()).isEqualTo("page_size");
            }
            server.get(path + "?page_size=1000", org).expect(200);
        }
        assertThat(server.get("/v1/orgs?page_size=0", admin()).status()).isEqualTo(422);
    }
}
