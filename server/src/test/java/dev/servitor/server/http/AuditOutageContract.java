// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.caller.Caller;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.Race;
import dev.servitor.testing.TestDatabases.Engine;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Token grants are audited off the request path, from a queue. While the audit table refuses
 * writes (a trigger stands in for a full disk), acknowledged grants wait in the queue; once it
 * takes writes again each is written exactly once, in a chain that verifies. Past the queue's
 * bound a grant is refused (503) rather than issued unaudited.
 */
abstract class AuditOutageContract extends ApiContract {
    private static final int GRANTS = 100;

    private record Client(String name, String id, String secret) {}

    @Test
    void grants_acknowledged_while_audit_writes_fail_are_audited_exactly_once_after_the_store_heals() throws Exception {
        Client c = client();
        server.servitor().auditLog().flushQueued(); // start from an empty queue
        failAuditWrites();
        try {
            List<Integer> statuses = Race.run(32, GRANTS, i -> grant(c).status());
            assertThat(statuses).containsOnly(200);
            assertThatThrownBy(() -> server.servitor().auditLog().flushQueued()).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> server.servitor().auditLog().flushQueued()).isInstanceOf(RuntimeException.class);
            assertThat(grantEvents(c.name())).isZero();
        } finally {
            healAuditWrites();
        }
        server.servitor().auditLog().flushQueued();

        assertThat(grantEvents(c.name())).isEqualTo(GRANTS);
        server.servitor().auditLog().flushQueued(); // nothing left to write twice
        assertThat(grantEvents(c.name())).isEqualTo(GRANTS);
        assertChainIntact();
    }

    @Test
    void past_the_queue_bound_a_grant_is_refused_503_until_the_queue_is_written() throws Exception {
        Client c = client();
        Caller caller = server.servitor().verifier().callerFor(c.id(), null, "127.0.0.1").orElseThrow();
        server.servitor().auditLog().flushQueued(); // start from an empty queue
        failAuditWrites();
        try {
            int queued = 0;
            while (true) { // fill the queue up to its bound
                try {
                    server.servitor().auditLog().appendLater(caller.orgId(), caller, "token.issue", "service_account:filler", Map.of());
                    queued++;
                } catch (ServiceException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    break;
                }
                assertThat(queued).as("the queue is bounded").isLessThan(100_000);
            }
            assertThatThrownBy(() -> server.servitor().auditLog().flushQueued()).isInstanceOf(RuntimeException.class);
            Response refused = grant(c);
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.json().get("error").asText()).isEqualTo("temporarily_unavailable");
            assertThat(refused.body()).doesNotContain("access_token");
        } finally {
            healAuditWrites();
        }
        server.servitor().auditLog().flushQueued();

        grant(c).expect(200);
        server.servitor().auditLog().flushQueued();
        assertThat(grantEvents(c.name())).isEqualTo(1); // the refused grant left no event
        assertChainIntact();
    }

    // ---- helpers --------------------------------------------------------------------------

    private Client client() {
        String name = unique("audited");
        server.createServiceAccount(name);
        JsonNode s = server.post("/v1/service-accounts/" + name + "/secret", admin(), null).expect(201).json();
        return new Client(name, s.get("client_id").asText(), s.get("client_secret").asText());
    }

    private Response grant(Client c) {
        String basic = Base64.getEncoder().encodeToString((enc(c.id()) + ":" + enc(c.secret())).getBytes(StandardCharsets.UTF_8));
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private long grantEvents(String name) {
        JsonNode page = server.get("/v1/audit-events?page_size=1000&action=token.issue&target="
            + enc("service_account:" + name), admin()).expect(200).json();
        assertThat(page.has("next_page_token")).isFalse();
        return page.get("audit_events").size();
    }

    private void assertChainIntact() {
        JsonNode check = server.get("/v1/audit-events/verify", admin()).expect(200).json();
        assertThat(check.get("intact").asBoolean()).as(check.toString()).isTrue();
    }

    /** Every insert into the audit table fails from now on, as on a full disk. */
    private void failAuditWrites() throws SQLException {
        if (engine() == Engine.SQLITE) {
            sql("CREATE TRIGGER test_audit_down BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'disk full'); END");
        } else {
            sql("CREATE FUNCTION test_audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$");
            sql("CREATE TRIGGER test_audit_down BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION test_audit_down()");
        }
    }

    private void healAuditWrites() throws SQLException {
        if (engine() == Engine.SQLITE) {
            sql("DROP TRIGGER test_audit_down");
        } else {
            sql("DROP TRIGGER test_audit_down ON audit_events");
            sql("DROP FUNCTION test_audit_down()");
        }
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = server.servitor().database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
