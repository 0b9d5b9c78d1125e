// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import org.junit.jupiter.api.Test;

/** Workspaces and their users linked to service accounts (Firebolt), by REST and SQL alike. */
abstract class WorkspacesContract extends ApiContract {

    private static void assertCode(Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("code").asText()).isEqualTo(code);
    }

    private Response sql(String key, String statements) {
        return server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/v1/sql"))
            .header("Authorization", "Bearer " + key).header("Content-Type", "text/plain")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(statements)).build());
    }

    @Test
    void a_service_account_links_to_one_user_per_workspace_and_cannot_be_deleted_while_linked() {
        String sa = unique("linked");
        server.createServiceAccount(sa);
        String ws = unique("analytics");
        assertThat(server.get("/v1/workspaces", admin()).expect(200).json().get("workspaces"))
            .extracting(w -> w.get("name").asText()).contains("default");
        server.post("/v1/workspaces", admin(), "{\"name\":\"" + ws + "\"}").expect(201);
        JsonNode u = server.post("/v1/workspaces/default/users", admin(), "{\"name\":\"" + unique("alex") + "\",\"service_account\":\""
            + sa + "\",\"default_database\":\"db1\"}").expect(201).json();
        assertThat(u.get("service_account").asText()).isEqualTo(sa);
        assertCode(server.post("/v1/workspaces/default/users", admin(), "{\"name\":\"" + unique("sam") + "\",\"service_account\":\"" + sa + "\"}"),
            409, "service_account_already_linked");
        server.post("/v1/workspaces/" + ws + "/users", admin(), "{\"name\":\"bob\",\"service_account\":\"" + sa + "\"}").expect(201);
        JsonNode account = server.get("/v1/service-accounts/" + sa, admin()).expect(200).json();
        assertThat(account.get("linked_users")).extracting(JsonNode::asText).containsExactlyInAnyOrder("default/" + u.get("name").asText(), ws + "/bob");
        assertThat(server.get("/v1/service-accounts?unlinked_in=" + ws + "&q=" + sa, admin()).json().get("service_accounts")).isEmpty();
        assertCode(server.delete("/v1/service-accounts/" + sa, admin()), 409, "linked_users_exist");
        server.patch("/v1/workspaces/" + ws + "/users/bob", admin(), "{\"service_account\":null}").expect(200);
        assertThat(server.get("/v1/service-accounts?unlinked_in=" + ws + "&q=" + sa, admin()).json().get("service_accounts")).hasSize(1);
        assertCode(server.delete("/v1/workspaces/" + ws, admin()), 409, "workspace_not_empty");
        server.delete("/v1/workspaces/default/users/" + u.get("name").asText(), admin()).expect(204);
        server.delete("/v1/service-accounts/" + sa, admin()).expect(204);
        server.delete("/v1/workspaces/" + ws + "/users/bob", admin()).expect(204);
        server.delete("/v1/workspaces/" + ws, admin()).expect(204);
    }

    @Test
    void sql_and_rest_see_the_same_workspace_users() {
        String sa = unique("sqlsa");
        server.createServiceAccount(sa);
        String ws = unique("ws");
        server.post("/v1/workspaces", admin(), "{\"name\":\"" + ws + "\"}").expect(201);
        String q = "\"" + ws + "\"";
        sql(admin(), "CREATE USER IF NOT EXISTS carol IN WORKSPACE " + q + " WITH SERVICE_ACCOUNT = \"" + sa
            + "\" LOGIN = 'carol@example.com'; CREATE USER IF NOT EXISTS carol IN WORKSPACE " + q).expect(200);
        JsonNode rest = server.get("/v1/workspaces/" + ws + "/users/carol", admin()).expect(200).json();
        assertThat(rest.get("service_account").asText()).isEqualTo(sa);
        assertThat(rest.get("login").asText()).isEqualTo("carol@example.com");
        sql(admin(), "ALTER USER carol IN WORKSPACE " + q + " SET SERVICE_ACCOUNT = DEFAULT").expect(200);
        assertThat(server.get("/v1/workspaces/" + ws + "/users/carol", admin()).json().get("service_account").isNull()).isTrue();
        sql(admin(), "DROP USER IF EXISTS carol IN WORKSPACE " + q + "; DROP USER IF EXISTS carol IN WORKSPACE " + q)
            .expect(200);
        assertCode(server.get("/v1/workspaces/" + ws + "/users/carol", admin()), 404, "user_not_found");
    }

    @Test
    void the_default_workspace_stays_and_only_admins_manage_workspaces() {
        assertCode(server.delete("/v1/workspaces/default", admin()), 422, "invalid_value");
        assertCode(server.get("/v1/workspaces/nope", admin()), 404, "workspace_not_found");
        String sa = unique("plainws");
        server.createServiceAccount(sa);
        String key = server.createKey(sa, "k");
        assertCode(server.get("/v1/workspaces", key), 403, "forbidden");
        assertCode(sql(key, "SHOW USERS"), 403, "forbidden");
    }
}
