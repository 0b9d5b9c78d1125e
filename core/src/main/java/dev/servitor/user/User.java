// SPDX-License-Identifier: Apache-2.0
package dev.servitor.user;

import java.time.Instant;

/** A human user of an organization. Service accounts are never users and never listed as such. */
public record User(String id, String orgId, String username, String email, String role,
                   boolean orgAdmin, boolean operator, boolean disabled, Instant createdAt, Instant updatedAt) {}
