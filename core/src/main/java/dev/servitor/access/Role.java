// SPDX-License-Identifier: Apache-2.0
package dev.servitor.access;

import java.time.Instant;
import java.util.List;

/** A named set of permissions. Built-in roles have no id and cannot change. */
public record Role(String id, String name, String description, List<String> permissions, boolean builtIn,
                   Instant createdAt, Instant updatedAt) {}
