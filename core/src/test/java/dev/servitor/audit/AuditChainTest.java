// SPDX-License-Identifier: Apache-2.0
package dev.servitor.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.account.NewServiceAccount;
import dev.servitor.account.ServiceAccountPatch;
import dev.servitor.apikey.CreatedKey;
import dev.servitor.apikey.NewKey;
import dev.servitor.caller.Caller;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.PageRequest;
import dev.servitor.testing.EngineContract;
import dev.servitor.testing.Refusals;
import dev.servitor.testing.TestDatabases.Engine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The audit log is a hash chain: any edit or removal of a stored event, made behind the
 * service's back directly in the database, is reported by {@code verify}. Each test that
 * tampers puts the row back afterwards (and checks the chain is whole again), so one database
 * per engine serves the class.
 */
class AuditChainTest {

    @Nested
    class OnSqlite extends Contract {
        @Override protected Engine engine() { return Engine.SQLITE; }
    }

    @Nested
    class OnPostgres extends Contract {
        @Override protected Engine engine() { return Engine.POSTGRES; }
    }

    abstract static class Contract extends EngineContract {
        private int round;

        @AfterEach
        void chainIsWholeAgainAfterRepair() {
            assertThat(servitor.audit().verify(admin).intact()).as("chain after the test put rows back").isTrue();
        }

        /** A few commands of every kind, under names of their own so that tests do not collide. */
        private void someCommands() {
            String name = "chain-" + (++round);
            KeyOwnerRef owner = KeyOwnerRef.serviceAccount(name);
            servitor.serviceAccounts().create(admin, new NewServiceAccount(name, "d", null, null, null, null), false, false);
            CreatedKey key = servitor.keys().create(admin, owner, new NewKey("k", "d\n\"quoted\" \\ \u0001", null, 60L, null));
            servitor.keys().create(admin, owner, new NewKey("no-expiry", null, null, null, null));
            servitor.keys().rotate(admin, owner, key.key().id(), 30L);
            servitor.serviceAccounts().update(admin, name, new ServiceAccountPatch(null, "new", "viewer", null, null, null));
            servitor.serviceAccounts().setDisabled(admin, name, true);
            servitor.serviceAccounts().setDisabled(admin, name, false);
            t.clock().advanceSeconds(1);
        }

        @Test
        void chain_is_intact_after_ordinary_commands_and_covers_every_event() {
            someCommands();
            someCommands();
            servitor.serviceAccounts().delete(admin, "chain-" + round);

            ChainCheck check = servitor.audit().verify(admin);

            assertThat(check.intact()).isTrue();
            assertThat(check.firstBrokenId()).isNull();
            assertThat(check.reason()).isNull();
            assertThat(check.eventsChecked()).isEqualTo(newest().seq()).isGreaterThan(10);
        }

        @Test
        void chain_stays_intact_across_refused_commands() {
            someCommands();
            Caller bot = t.callerOf(servitor.keys().create(admin, KeyOwnerRef.serviceAccount("chain-" + round),
                new NewKey("bot", null, null, null, null)).secret());
            Refusals.assertRefused(ErrorCode.FORBIDDEN, () -> servitor.serviceAccounts().delete(bot, "chain-" + round));
            assertThat(newest().outcome()).isEqualTo(AuditEvent.DENIED);
            assertThat(servitor.audit().verify(admin).intact()).isTrue();
        }

        @Test
        void editing_the_target_of_one_event_breaks_the_chain_at_that_event() throws SQLException {
            someCommands();
            AuditEvent victim = eventAt(newest().seq() - 3);

            update(victim.id(), "target", "service_account:someone-else");
            ChainCheck check = servitor.audit().verify(admin);
            update(victim.id(), "target", victim.target());

            assertThat(check.intact()).isFalse();
            assertThat(check.firstBrokenId()).isEqualTo(victim.id());
            assertThat(check.firstBrokenSeq()).isEqualTo(victim.seq());
            assertThat(check.reason()).contains("altered");
            assertThat(check.eventsChecked()).isEqualTo(victim.seq());
        }

        @Test
        void editing_any_other_recorded_field_is_detected_too() throws SQLException {
            someCommands();
            AuditEvent victim = eventAt(newest().seq() - 2);
            Map<String, Object> edits = new LinkedHashMap<>();
            edits.put("actor", "mallory@example.com");
            edits.put("actor_id", "usr_mallory");
            edits.put("action", "service_account.enable");
            edits.put("outcome", AuditEvent.DENIED);
            edits.put("ip", "10.0.0.1");
            edits.put("details", "{}");
            edits.put("time", victim.time().toEpochMilli() + 1);
            edits.put("on_behalf_of", "admin@localhost");

            for (Map.Entry<String, Object> edit : edits.entrySet()) {
                Object original = column(victim.id(), edit.getKey());
                update(victim.id(), edit.getKey(), edit.getValue());
                ChainCheck check = servitor.audit().verify(admin);
                update(victim.id(), edit.getKey(), original);

                assertThat(check.intact()).as("after editing %s", edit.getKey()).isFalse();
                assertThat(check.firstBrokenId()).as("after editing %s", edit.getKey()).isEqualTo(victim.id());
            }
        }

        @Test
        void an_edit_with_a_recomputed_hash_is_caught_by_the_next_link() throws SQLException {
            someCommands();
            AuditEvent victim = eventAt(newest().seq() - 2);
            AuditEvent next = eventAt(victim.seq() + 1);
            AuditEvent forged = new AuditEvent(victim.id(), victim.orgId(), victim.seq(), victim.time(), victim.actor(),
                victim.actorId(), victim.onBehalfOf(), victim.action(), "service_account:innocent", victim.ip(), victim.outcome(),
                victim.details(), victim.prevHash(), null);
            String forgedHash = AuditHashing.hash(forged, victim.prevHash());

            update(victim.id(), "target", "service_account:innocent");
            update(victim.id(), "hash", forgedHash);
            ChainCheck check = servitor.audit().verify(admin);
            update(victim.id(), "hash", victim.hash());
            update(victim.id(), "target", victim.target());

            assertThat(check.intact()).isFalse();
            assertThat(check.firstBrokenId()).isEqualTo(next.id());
            assertThat(check.reason()).contains("previous hash");
        }

        @Test
        void deleting_the_newest_event_is_detected() throws SQLException {
            someCommands();
            AuditEvent newest = newest();

            Map<String, Object> row = delete(newest.id());
            ChainCheck check = servitor.audit().verify(admin);
            insert(row);

            assertThat(check.intact()).isFalse();
            assertThat(check.eventsChecked()).isEqualTo(newest.seq() - 1);
            assertThat(check.firstBrokenSeq()).isEqualTo(newest.seq());
            assertThat(check.reason()).contains("missing");
        }

        @Test
        void deleting_an_event_in_the_middle_is_detected_at_the_gap() throws SQLException {
            someCommands();
            AuditEvent victim = eventAt(newest().seq() - 3);
            AuditEvent next = eventAt(victim.seq() + 1);

            Map<String, Object> row = delete(victim.id());
            ChainCheck check = servitor.audit().verify(admin);
            insert(row);

            assertThat(check.intact()).isFalse();
            assertThat(check.firstBrokenId()).isEqualTo(next.id());
            assertThat(check.firstBrokenSeq()).isEqualTo(next.seq());
        }

        @Test
        void an_event_stored_with_null_details_reads_back_and_rehashes_identically() {
            String name = "nulls-" + (++round);
            servitor.serviceAccounts().create(admin, new NewServiceAccount(name, null, null, null, null, null), false, false);
            servitor.keys().create(admin, KeyOwnerRef.serviceAccount(name), new NewKey("k", null, null, null, null));

            AuditEvent created = newest();
            assertThat(created.action()).isEqualTo("key.create");
            assertThat(created.details()).containsEntry("expires_at", null).containsEntry("name", "k");
            assertThat(servitor.audit().verify(admin).intact()).isTrue();
        }

        @Test
        void queued_events_are_chained_in_queue_order_with_the_time_they_were_queued() {
            AuditLog log = servitor.auditLog();
            List<java.time.Instant> queuedAt = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                queuedAt.add(t.clock().instant());
                log.appendLater(admin.orgId(), admin, "token.issue", "service_account:queued", Map.of("n", "" + i));
                t.clock().advanceSeconds(1);
            }
            someCommands(); // written at once, between the queueing and the flush (a background flush may come first)

            log.flushQueued();

            List<AuditEvent> all = new ArrayList<>();
            servitor.store().read(tx -> {
                tx.table(AuditStore.class).forEachInOrder(admin.orgId(), all::add);
                return null;
            });
            List<AuditEvent> queued = all.stream().filter(e -> e.target().equals("service_account:queued")).toList();
            assertThat(queued).extracting(e -> e.details().get("n")).containsExactly("0", "1", "2", "3", "4");
            assertThat(queued).extracting(AuditEvent::time).containsExactlyElementsOf(queuedAt);
            assertThat(all).extracting(AuditEvent::seq).doesNotHaveDuplicates().isSorted();
            ChainCheck check = servitor.audit().verify(admin);
            assertThat(check.intact()).isTrue();
            assertThat(check.eventsChecked()).isEqualTo(all.size());
        }

        // ---- helpers ------------------------------------------------------------------------

        private AuditEvent newest() {
            return servitor.audit().list(admin, new AuditQuery(null, null, null, null, null), PageRequest.first(1)).items().get(0);
        }

        private AuditEvent eventAt(long seq) {
            List<AuditEvent> all = new ArrayList<>();
            servitor.store().read(tx -> {
                tx.table(AuditStore.class).forEachInOrder(admin.orgId(), all::add);
                return null;
            });
            return all.stream().filter(e -> e.seq() == seq).findFirst().orElseThrow();
        }

        private Connection connection() throws SQLException {
            return servitor.database().dataSource().getConnection();
        }

        private void update(String id, String column, Object value) throws SQLException {
            try (Connection c = connection();
                 PreparedStatement ps = c.prepareStatement("UPDATE audit_events SET " + column + " = ? WHERE id = ?")) {
                ps.setObject(1, value);
                ps.setString(2, id);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }

        private Object column(String id, String column) throws SQLException {
            try (Connection c = connection();
                 PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM audit_events WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    return rs.getObject(1);
                }
            }
        }

        /** Deletes the row and returns it, column by column, so that {@link #insert} can put it back. */
        private Map<String, Object> delete(String id) throws SQLException {
            Map<String, Object> row = new LinkedHashMap<>();
            try (Connection c = connection()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_events WHERE id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        ResultSetMetaData md = rs.getMetaData();
                        for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnName(i), rs.getObject(i));
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_events WHERE id = ?")) {
                    ps.setString(1, id);
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
            }
            return row;
        }

        private void insert(Map<String, Object> row) throws SQLException {
            String columns = String.join(", ", row.keySet());
            String marks = String.join(", ", row.keySet().stream().map(k -> "?").toList());
            try (Connection c = connection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO audit_events (" + columns + ") VALUES (" + marks + ")")) {
                int i = 1;
                for (Object v : row.values()) ps.setObject(i++, v);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
    }
}
