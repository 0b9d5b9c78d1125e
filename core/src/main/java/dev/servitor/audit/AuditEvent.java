// SPDX-License-Identifier: Apache-2.0
package dev.servitor.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One audited change or refusal, link {@code seq} of its organization's hash chain.
 * {@code actor} is the actor's e-mail, a label; {@code actorId} is who it was (null only in
 * events written before it was recorded). {@code details} never holds a secret.
 */
public record AuditEvent(String id, String orgId, long seq, Instant time, String actor, String actorId, String onBehalfOf,
                         String action, String target, String ip, String outcome, Map<String, String> details,
                         String prevHash, String hash) {

    public static final String SUCCESS = "success";
    public static final String DENIED = "denied";
}
