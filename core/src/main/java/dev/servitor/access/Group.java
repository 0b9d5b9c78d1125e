// SPDX-License-Identifier: Apache-2.0
package dev.servitor.access;

import java.time.Instant;
import java.util.List;

/** A group holds roles; its members (service accounts and users) hold the union of their permissions. */
public record Group(String id, String orgId, String name, String description, List<String> roles, Instant createdAt,
                    Instant updatedAt) {}
