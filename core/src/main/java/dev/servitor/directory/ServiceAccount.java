// SPDX-License-Identifier: Apache-2.0
package dev.servitor.directory;

import java.time.Instant;
import java.util.List;

/**
 * A machine identity of one organization. Its {@code id} never changes (it is also the OAuth
 * client id); its name may. It can hold up to the configured number of live API keys and can
 * never log in to the console.
 */
public record ServiceAccount(String id, String orgId, String name, String description, String role,
                             List<String> groups, String networkPolicy, boolean orgAdmin, boolean disabled,
                             Instant createdAt, Instant updatedAt, String createdBy, int keyCount,
                             List<String> linkedUsers) {

    /** {@code <name>@<org>.sa.<domain>}: shown in audit logs, never deliverable. */
    public static String email(String name, String orgName, String domain) {
        return name + "@" + orgName + ".sa." + domain;
    }

    /** A new account: enabled, not an org admin, without groups, keys or linked users unless set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A copy of this account to change some fields of by name. */
    public Builder toBuilder() {
        return new Builder().id(id).orgId(orgId).name(name).description(description).role(role).groups(groups)
            .networkPolicy(networkPolicy).orgAdmin(orgAdmin).disabled(disabled).createdAt(createdAt).updatedAt(updatedAt)
            .createdBy(createdBy).keyCount(keyCount).linkedUsers(linkedUsers);
    }

    public static final class Builder {
        private String id;
        private String orgId;
        private String name;
        private String description;
        private String role;
        private List<String> groups = List.of();
        private String networkPolicy;
        private boolean orgAdmin;
        private boolean disabled;
        private Instant createdAt;
        private Instant updatedAt;
        private String createdBy;
        private int keyCount;
        private List<String> linkedUsers = List.of();

        private Builder() {}

        public Builder id(String id) { this.id = id; return this; }
        public Builder orgId(String orgId) { this.orgId = orgId; return this; }
        public Builder name(String name) { this.name = name; return this; }
        public Builder description(String description) { this.description = description; return this; }
        public Builder role(String role) { this.role = role; return this; }
        public Builder groups(List<String> groups) { this.groups = groups; return this; }
        public Builder networkPolicy(String networkPolicy) { this.networkPolicy = networkPolicy; return this; }
        public Builder orgAdmin(boolean orgAdmin) { this.orgAdmin = orgAdmin; return this; }
        public Builder disabled(boolean disabled) { this.disabled = disabled; return this; }
        public Builder createdAt(Instant createdAt) { this.createdAt = createdAt; return this; }
        public Builder updatedAt(Instant updatedAt) { this.updatedAt = updatedAt; return this; }
        public Builder createdBy(String createdBy) { this.createdBy = createdBy; return this; }
        public Builder keyCount(int keyCount) { this.keyCount = keyCount; return this; }
        public Builder linkedUsers(List<String> linkedUsers) { this.linkedUsers = linkedUsers; return this; }

        public ServiceAccount build() {
            return new ServiceAccount(id, orgId, name, description, role, groups, networkPolicy, orgAdmin, disabled,
                createdAt, updatedAt, createdBy, keyCount, linkedUsers);
        }
    }
}
