// SPDX-License-Identifier: Apache-2.0
package dev.servitor.access;

import dev.servitor.common.PageRequest;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Collection;

/** Rows of {@code roles}, {@code access_groups}, {@code group_roles} and {@code group_members}. */
public interface AccessStore {
    void insertRole(String orgId, Role role);
    Optional<Role> findRole(String orgId, String name);
    /** One page of custom roles by name: at most {@code page.size() + 1} rows after {@code page.after()}. */
    List<Role> listRoles(String orgId, PageRequest page);
    void updateRole(String orgId, Role role);
    void deleteRole(String orgId, String name);
    /** Names of groups that hold the role. */
    List<String> groupsWithRole(String orgId, String roleName);

    void insertGroup(Group group);
    Optional<Group> findGroup(String orgId, String name);
    /** One page of groups by name: at most {@code page.size() + 1} rows after {@code page.after()}. */
    List<Group> listGroups(String orgId, PageRequest page);
    void updateGroup(Group group);
    void deleteGroup(String groupId);

    /** Replaces the principal's groups. */
    void setMemberships(String principalId, List<String> groupIds);
    /** Names of the principal's groups, sorted. */
    List<String> groupsOf(String principalId);
    /** The group names of each of {@code principalIds} that is in a group, in one query. */
    Map<String, List<String>> groupsOf(Collection<String> principalIds);
    /** Principal ids that are members of the group. */
    List<String> membersOf(String groupId);
    void removeMember(String principalId);
    /** Members of the group that belong to no other group. */
    List<String> membersOnlyIn(String groupId);
    /** How many service accounts and users of the organization have this as their direct role. */
    long countWithRole(String orgId, String role);
}
