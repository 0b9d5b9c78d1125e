// SPDX-License-Identifier: Apache-2.0
package dev.servitor.directory;

import java.time.Instant;

/** A human user of an organization. Service accounts are never users and never listed as such. */
public record User(String id, String orgId, String username, String email, String role,
                   boolean orgAdmin, boolean operator, boolean disabled, Instant createdAt, Instant updatedAt) {

    /** A new user: enabled, neither an org admin nor an operator unless set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A copy of this user to change some fields of by name. */
    public Builder toBuilder() {
        return new Builder().id(id).orgId(orgId).username(username).email(email).role(role).orgAdmin(orgAdmin)
            .operator(operator).disabled(disabled).createdAt(createdAt).updatedAt(updatedAt);
    }

    public static final class Builder {
        private String id;
        private String orgId;
        private String username;
        private String email;
        private String role;
        private boolean orgAdmin;
        private boolean operator;
        private boolean disabled;
        private Instant createdAt;
        private Instant updatedAt;

        private Builder() {}

        public Builder id(String id) { this.id = id; return this; }
        public Builder orgId(String orgId) { this.orgId = orgId; return this; }
        public Builder username(String username) { this.username = username; return this; }
        public Builder email(String email) { this.email = email; return this; }
        public Builder role(String role) { this.role = role; return this; }
        public Builder orgAdmin(boolean orgAdmin) { this.orgAdmin = orgAdmin; return this; }
        public Builder operator(boolean operator) { this.operator = operator; return this; }
        public Builder disabled(boolean disabled) { this.disabled = disabled; return this; }
        public Builder createdAt(Instant createdAt) { this.createdAt = createdAt; return this; }
        public Builder updatedAt(Instant updatedAt) { this.updatedAt = updatedAt; return this; }

        public User build() {
            return new User(id, orgId, username, email, role, orgAdmin, operator, disabled, createdAt, updatedAt);
        }
    }
}
