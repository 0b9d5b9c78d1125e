// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.servitor.directory.ServiceAccount;
import java.time.Instant;
import java.util.List;

/** A service account as the API shows it; {@code key} only in the answer of a create with {@code issue_key}. */
public record ServiceAccountResponse(String id, String name, String email, String description, String role,
                                     List<String> groups, String networkPolicy,
                                     @JsonProperty("is_org_admin") boolean isOrgAdmin, boolean disabled,
                                     Instant createdAt, Instant updatedAt, String createdBy, int keyCount,
                                     List<String> linkedUsers, @JsonInclude(JsonInclude.Include.NON_NULL) IssuedKey key) {

    /** The key minted with the account, shown once. */
    public record IssuedKey(String id, String name, String key) {}

    static ServiceAccountResponse of(ServiceAccount sa, String email, IssuedKey key) {
        return new ServiceAccountResponse(sa.id(), sa.name(), email, sa.description(), sa.role(), sa.groups(),
            sa.networkPolicy(), sa.orgAdmin(), sa.disabled(), sa.createdAt(), sa.updatedAt(), sa.createdBy(),
            sa.keyCount(), sa.linkedUsers(), key);
    }
}
