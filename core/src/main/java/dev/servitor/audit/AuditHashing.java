// SPDX-License-Identifier: Apache-2.0
package dev.servitor.audit;

import dev.servitor.crypto.SecretHash;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The chain hash of an event: SHA-256 over the previous hash and every field, each written
 * with its length so that no two different events can serialize alike. The actor id comes
 * last and only when set: events written before it was recorded keep their hashes.
 */
final class AuditHashing {
    private AuditHashing() {}

    static String hash(AuditEvent e, String prevHash) {
        StringBuilder sb = new StringBuilder(256);
        for (String field : new String[] {prevHash, e.id(), e.orgId(), Long.toString(e.seq()),
                Long.toString(e.time().toEpochMilli()), e.actor(), e.onBehalfOf(), e.action(), e.target(), e.ip(),
                e.outcome(), AuditDetails.toJson(e.details())}) {
            append(sb, field);
        }
        if (e.actorId() != null) append(sb, e.actorId());
        return HexFormat.of().formatHex(SecretHash.sha256(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void append(StringBuilder sb, String field) {
        String v = field == null ? "" : field;
        sb.append(field == null ? -1 : v.length()).append(':').append(v).append(';');
    }

}
