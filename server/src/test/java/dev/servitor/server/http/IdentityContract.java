// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** /v1/whoami and /v1/verify, and the one uniform 401. */
abstract class IdentityContract extends ApiContract {

    private Response whoamiWith(String header) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/v1/whoami")).GET();
        if (header != null) b.header("Authorization", header);
        return server.send(b.build());
    }

    @Nested
    class Ok200 {
        @Test
        void whoami_describes_the_admin() {
            JsonNode me = server.get("/v1/whoami", admin()).expect(200).json();
            assertThat(me.get("principal").get("type").asText()).isEqualTo("user");
            assertThat(me.get("principal").get("name").asText()).isEqualTo("admin");
            assertThat(me.get("principal").get("email").asText()).isEqualTo("admin@localhost");
            assertThat(me.get("principal").get("org").asText()).isEqualTo("default");
            assertThat(me.get("principal").get("id").asText()).startsWith("usr_");
            assertThat(me.has("actor")).isFalse();
            assertThat(me.get("permissions")).extracting(JsonNode::asText).contains("org_admin", "verify");
            assertThat(me.get("credential").get("kind").asText()).isEqualTo("api_key");
            assertThat(me.get("credential").get("type").asText()).isEqualTo("read_write");
        }

        @Test
        void every_scheme_of_the_reference_products_is_accepted() {
            for (String scheme : List.of("Bearer", "Token", "Key", "bearer")) {
                assertThat(whoamiWith(scheme + " " + admin()).status()).as(scheme).isEqualTo(200);
            }
        }

        @Test
        void verify_tells_the_trusted_caller_each_reason() {
            String sa = unique("verified");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            JsonNode ok = verify(key);
            assertThat(ok.get("valid").asBoolean()).isTrue();
            assertThat(ok.get("code").asText()).isEqualTo("VALID");
            assertThat(ok.get("principal").get("name").asText()).isEqualTo(sa);
            assertThat(ok.get("principal").get("type").asText()).isEqualTo("service_account");
            assertThat(ok.get("credential").get("type").asText()).isEqualTo("read_write");
            assertThat(verify("svt_nothing").get("code").asText()).isEqualTo("NOT_FOUND");
            assertThat(verify(SecretFormat.generate("svt")).get("code").asText()).isEqualTo("NOT_FOUND");
            String typo = key.substring(0, 10) + (key.charAt(10) == 'a' ? 'b' : 'a') + key.substring(11);
            JsonNode bad = verify(typo);
            assertThat(bad.get("valid").asBoolean()).isFalse();
            assertThat(bad.get("code").asText()).isEqualTo("NOT_FOUND");
            assertThat(bad.has("principal")).isFalse();
        }

        @Test
        void verify_checks_a_permission() {
            String sa = unique("perm");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            JsonNode r = server.post("/v1/verify", admin(), "{\"credential\":\"" + key + "\",\"permission\":\"deployments:create\"}")
                .expect(200).json();
            assertThat(r.get("valid").asBoolean()).isFalse();
            assertThat(r.get("code").asText()).isEqualTo("FORBIDDEN");
            JsonNode a = server.post("/v1/verify", admin(), "{\"credential\":\"" + admin() + "\",\"permission\":\"deployments:create\"}")
                .expect(200).json();
            assertThat(a.get("code").asText()).isEqualTo("VALID");
        }
    }

    @Nested
    class Unauthorized401 {
        @Test
        void whatever_is_wrong_the_presenter_gets_the_same_answer() {
            String sa = unique("gone");
            server.createServiceAccount(sa);
            String revoked = server.createKey(sa, "k");
            server.delete("/v1/service-accounts/" + sa, admin()).expect(204);
            List<String> headers = new ArrayList<>(List.of("Bearer svt_short", "Bearer " + SecretFormat.generate("svt"),
                "Basic YWRtaW46YWRtaW4=", "Bearer", "Token " + revoked, "Key " + admin() + "x"));
            headers.add(null);
            for (String h : headers) {
                Response r = whoamiWith(h);
                assertThat(r.status()).as(String.valueOf(h)).isEqualTo(401);
                assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
                JsonNode p = r.json();
                assertThat(p.get("code").asText()).isEqualTo("unauthenticated");
                assertThat(p.get("detail").asText()).isEqualTo("A valid credential is required");
            }
        }
    }

    @Nested
    class Forbidden403 {
        @Test
        void verify_needs_the_verify_permission() {
            String sa = unique("noverify");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            Response r = server.post("/v1/verify", key, "{\"credential\":\"" + admin() + "\"}");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.json().get("code").asText()).isEqualTo("forbidden");
        }
    }

    @Nested
    class Unprocessable422 {
        @Test
        void verify_needs_a_credential() {
            Response r = server.post("/v1/verify", admin(), "{}");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.json().get("field").asText()).isEqualTo("credential");
        }
    }
}
