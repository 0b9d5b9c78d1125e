// SPDX-License-Identifier: Apache-2.0
package dev.servitor.audit;

import java.time.Instant;

/**
 * Filters of the audit list; null means "any". {@code actor} matches the actor's e-mail or id. {@code target} matches the target itself and
 * everything below it ({@code service_account:ci-bot} also finds its keys' events).
 */
public record AuditQuery(String actor, String action, String target, Instant since, Instant until) {}
