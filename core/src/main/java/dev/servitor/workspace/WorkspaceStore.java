// SPDX-License-Identifier: Apache-2.0
package dev.servitor.workspace;

import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Collection;

/** Rows of {@code workspaces} and {@code workspace_users}. */
public interface WorkspaceStore {
    void insert(Workspace w);
    Optional<Workspace> find(String orgId, String name);
    List<Workspace> list(String orgId);
    void delete(String id);
    void insertUser(WorkspaceUser u);
    Optional<WorkspaceUser> findUser(String workspaceId, String name);
    List<WorkspaceUser> listUsers(String workspaceId);
    void updateUser(WorkspaceUser u);
    void deleteUser(String id);
    /** {@code workspace/user} of every user linked to the service account. */
    /** {@code workspace/user} links of each of {@code serviceAccountIds} that has any, in one query. */
    Map<String, List<String>> linksOf(Collection<String> serviceAccountIds);
    Optional<WorkspaceUser> linkedUserIn(String workspaceId, String serviceAccountId);
}
