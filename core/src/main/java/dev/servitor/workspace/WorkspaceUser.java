// SPDX-License-Identifier: Apache-2.0
package dev.servitor.workspace;

import java.time.Instant;

/** A user inside a workspace, optionally linked to one service account ({@code serviceAccount} is its name). */
public record WorkspaceUser(String id, String workspaceId, String workspace, String name, String serviceAccountId,
                            String serviceAccount, String login, String defaultDatabase, String defaultEngine,
                            Instant createdAt, Instant updatedAt) {}
