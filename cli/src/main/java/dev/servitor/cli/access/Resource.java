// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.access;

import dev.servitor.cli.Column;
import java.util.List;

/** A kind of named object under {@code /v1/…}: its path, the list field of its list answer, and its table columns. */
enum Resource {
    USER("user", "/v1/users", "users", List.of(Column.field("username"), Column.field("id"), Column.field("email"),
        Column.field("role"), Column.field("ORG_ADMIN", "is_org_admin"), Column.field("disabled"), Column.field("created_at"))),
    GROUP("group", "/v1/groups", "groups", List.of(Column.field("name"), Column.field("id"), Column.field("description"),
        Column.field("roles"))),
    ROLE("role", "/v1/roles", "roles", List.of(Column.field("name"), Column.field("description"), Column.field("permissions"),
        Column.field("built_in"))),
    POLICY("network policy", "/v1/network-policies", "network_policies", List.of(Column.field("name"), Column.field("id"),
        Column.field("description"), Column.field("allowed_ips"), Column.field("blocked_ips")));

    final String noun;
    final String path;
    final String listField;
    final List<Column> columns;

    Resource(String noun, String path, String listField, List<Column> columns) {
        this.noun = noun;
        this.path = path;
        this.listField = listField;
        this.columns = columns;
    }
}
