// SPDX-License-Identifier: Apache-2.0
package dev.servitor.workspace;

import dev.servitor.common.PageRequest;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Collection;

/** Rows of {@code workspaces} and {@code workspace_users}. */
public interface WorkspaceStore {
    void insert(Workspace w);
    Optional<Workspace> find(String orgId, String name);
    /** One page by name: at most {@code page.size() + 1} rows after {@code page.after()}. */
    List<Workspace> list(String orgId, PageRequest page);
    void delete(String id);
    void insertUser(WorkspaceUser u);
    Optional<WorkspaceUser> findUser(String workspaceId, String name);
    /** One page by user name: at most {@code page.size() + 1} rows after {@code page.after()}. */
    List<WorkspaceUser> listUsers(String workspaceId, PageRequest page);
    void updateUser(WorkspaceUser u);
    void deleteUser(String id);
    /** {@code workspace/user} of every user linked to the service account. */
    /** {@code workspace/user} links of each of {@code serviceAccountIds} that has any, in one query. */
    Map<String, List<String>> linksOf(Collection<String> serviceAccountIds);
    Optional<WorkspaceUser> linkedUserIn(String workspaceId, String serviceAccountId);
}
