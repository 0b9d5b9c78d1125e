// SPDX-License-Identifier: Apache-2.0
package dev.servitor.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.crypto.SecretHash;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chain hash after events began to carry their actor's id: older events keep their hashes. */
class AuditHashingTest {
    private static final Instant TIME = Instant.parse("2026-01-02T03:04:05.678Z");

    private static AuditEvent event(String actorId) {
        return new AuditEvent("evt_1", "org_1", 7, TIME, "vw@example.com", actorId, null, "user.update", "user:vw", "127.0.0.1",
            AuditEvent.SUCCESS, Map.of("id", "usr_1"), "prev", null);
    }

    /** The hash as it was computed before actor ids were recorded (migration V7). */
    private static String hashBeforeActorIds(AuditEvent e, String prev) {
        StringBuilder sb = new StringBuilder();
        for (String field : new String[] {prev, e.id(), e.orgId(), Long.toString(e.seq()), Long.toString(e.time().toEpochMilli()),
                e.actor(), e.onBehalfOf(), e.action(), e.target(), e.ip(), e.outcome(), AuditDetails.toJson(e.details())}) {
            String v = field == null ? "" : field;
            sb.append(field == null ? -1 : v.length()).append(':').append(v).append(';');
        }
        return HexFormat.of().formatHex(SecretHash.sha256(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void an_event_written_before_actor_ids_keeps_its_hash() {
        assertThat(AuditHashing.hash(event(null), "prev")).isEqualTo(hashBeforeActorIds(event(null), "prev"));
    }

    @Test
    void the_actor_id_is_covered_by_the_hash() {
        String withId = AuditHashing.hash(event("usr_1"), "prev");
        assertThat(withId).isNotEqualTo(hashBeforeActorIds(event(null), "prev"));
        assertThat(withId).isNotEqualTo(AuditHashing.hash(event("usr_2"), "prev"));
    }
}
