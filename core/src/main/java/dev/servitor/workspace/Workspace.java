// SPDX-License-Identifier: Apache-2.0
package dev.servitor.workspace;

import java.time.Instant;

/** A workspace of an organization (Firebolt's "account"); every organization has {@code default}. */
public record Workspace(String id, String orgId, String name, Instant createdAt) {
    public static final String DEFAULT = "default";
}
