// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.server.testing.ApiContract;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** /v1/audit-events: who did what, filterable, hash-chained. */
abstract class AuditContract extends ApiContract {

    private JsonNode events(String query) {
        return server.get("/v1/audit-events?" + query, admin()).expect(200).json().get("audit_events");
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Ok200 {
        @Test
        @Order(1)
        void each_change_is_recorded_with_actor_target_ip_and_outcome() {
            String sa = unique("audited");
            server.createServiceAccount(sa);
            JsonNode e = events("action=service_account.create&target=" + q("service_account:" + sa)).get(0);
            assertThat(e.get("actor").asText()).isEqualTo("admin@localhost");
            assertThat(e.get("target").asText()).isEqualTo("service_account:" + sa);
            assertThat(e.get("ip").asText()).isEqualTo("127.0.0.1");
            assertThat(e.get("outcome").asText()).isEqualTo("success");
            assertThat(e.get("hash").asText()).hasSize(64);
            assertThat(e.get("id").asText()).startsWith("evt_");
        }

        @Test
        @Order(2)
        void filters_by_actor_action_target_and_time() {
            String sa = unique("filtered");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            JsonNode keyEvents = events("target=" + q("service_account:" + sa));
            assertThat(keyEvents).extracting(n -> n.get("action").asText()).containsExactly("key.create", "service_account.create");
            assertThat(events("action=key.create&target=" + q("service_account:" + sa))).hasSize(1);
            assertThat(events("actor=" + q("nobody@example.com"))).isEmpty();
            String later = Instant.parse(keyEvents.get(0).get("time").asText()).plusSeconds(5).toString();
            assertThat(events("target=" + q("service_account:" + sa) + "&since=" + q(later))).isEmpty();
            assertThat(events("target=" + q("service_account:" + sa) + "&until=" + q(later))).hasSize(2);
            assertThat(server.get("/v1/audit-events?since=yesterday", admin()).status()).isEqualTo(400);
            // the secret never reaches the audit log
            assertThat(server.get("/v1/audit-events?page_size=1000", admin()).body()).doesNotContain(key.substring(4));
        }

        @Test
        @Order(3)
        void pages_run_newest_first_without_overlap() {
            for (int i = 0; i < 3; i++) server.createServiceAccount(unique("paged-audit"));
            JsonNode first = server.get("/v1/audit-events?page_size=2", admin()).expect(200).json();
            String token = first.get("next_page_token").asText();
            JsonNode second = server.get("/v1/audit-events?page_size=2&page_token=" + token, admin()).expect(200).json();
            Instant lastOfFirst = Instant.parse(first.get("audit_events").get(1).get("time").asText());
            Instant firstOfSecond = Instant.parse(second.get("audit_events").get(0).get("time").asText());
            assertThat(firstOfSecond).isBeforeOrEqualTo(lastOfFirst);
            assertThat(second.get("audit_events").get(0).get("id").asText())
                .isNotEqualTo(first.get("audit_events").get(1).get("id").asText());
        }

        @Test
        @Order(4)
        void the_chain_is_intact_until_a_row_is_edited() throws Exception {
            server.createServiceAccount(unique("chained"));
            JsonNode ok = server.get("/v1/audit-events/verify", admin()).expect(200).json();
            assertThat(ok.get("intact").asBoolean()).isTrue();
            assertThat(ok.get("events_checked").asLong()).isGreaterThan(3);
            String victim = events("action=service_account.create").get(0).get("id").asText();
            try (Connection c = server.servitor().database().dataSource().getConnection();
                 PreparedStatement s = c.prepareStatement("UPDATE audit_events SET actor = 'someone-else@example.com' WHERE id = ?")) {
                s.setString(1, victim);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            JsonNode broken = server.get("/v1/audit-events/verify", admin()).expect(200).json();
            assertThat(broken.get("intact").asBoolean()).isFalse();
            assertThat(broken.get("first_broken_id").asText()).isEqualTo(victim);
        }
    }

    @Nested
    class BadRequest400 {
        @Test
        void a_time_no_store_can_hold_is_400_naming_the_parameter_not_a_500() {
            for (String name : java.util.List.of("since", "until")) {
                for (String time : java.util.List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
                        "+10000-01-01T00:00:00Z", "99999-01-01T00:00:00Z", "-0001-01-01T00:00:00Z")) {
                    var r = server.get("/v1/audit-events?" + name + "=" + q(time), admin());
                    assertThat(r.status()).as(name + "=" + time + ": " + r.body()).isEqualTo(400);
                    assertThat(r.json().get("code").asText()).isEqualTo("invalid_type");
                    assertThat(r.json().get("field").asText()).isEqualTo(name);
                }
            }
            // the widest times RFC 3339 can write still work
            assertThat(events("since=" + q("0000-01-01T00:00:00Z") + "&until=" + q("9999-12-31T23:59:59.999+01:00"))).isNotEmpty();
        }
    }

    @Nested
    class Forbidden403 {
        @Test
        void only_org_admins_read_the_log() {
            String sa = unique("snoop");
            server.createServiceAccount(sa);
            String key = server.createKey(sa, "k");
            assertThat(server.get("/v1/audit-events", key).status()).isEqualTo(403);
            assertThat(server.get("/v1/audit-events/verify", key).status()).isEqualTo(403);
        }
    }
}
