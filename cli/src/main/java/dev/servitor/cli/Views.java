// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import java.util.List;
import java.util.Map;

/** The table columns of each kind of API object. JSON and YAML output never go through these. */
public final class Views {
    private Views() {}

    public static final List<Column> SERVICE_ACCOUNT = List.of(Column.field("name"), Column.field("id"), Column.field("role"),
        Column.field("groups"), Column.field("ORG_ADMIN", "is_org_admin"), Column.field("disabled"),
        Column.field("KEYS", "key_count"), Column.field("created_at"));

    /** A key in a list: never a secret (the API sends none). */
    public static final List<Column> KEY = List.of(Column.field("id"), Column.field("name"), Column.field("type"),
        Column.field("prefix"), Column.field("created_at"), Column.field("expires_at"), Column.field("last_used_at"),
        new Column("RESTRICTIONS", Views::restrictionsSummary));

    /** A key's restrictions in one short cell: {@code perms=a,b ips=10.0.0.0/8 rate=100/60s uses=1000 refill=1000/day}. */
    @SuppressWarnings("unchecked")
    static String restrictionsSummary(Map<String, Object> key) {
        if (!(key.get("restrictions") instanceof Map<?, ?> m)) return null;
        List<String> parts = new java.util.ArrayList<>();
        if (m.get("permissions") instanceof List<?> l) parts.add("perms=" + String.join(",", (List<String>) l));
        if (m.get("allowed_ips") instanceof List<?> l) parts.add("ips=" + String.join(",", (List<String>) l));
        if (m.get("rate_limit") instanceof Map<?, ?> r) parts.add("rate=" + r.get("limit") + "/" + r.get("period_seconds") + "s");
        if (m.get("remaining_uses") != null) parts.add("uses=" + m.get("remaining_uses"));
        if (m.get("refill") instanceof Map<?, ?> r) parts.add("refill=" + r.get("amount") + "/" + r.get("interval"));
        return String.join(" ", parts);
    }

    /** A key just created or rotated: the secret in the last column, this one time. */
    public static final List<Column> CREATED_KEY = List.of(Column.field("id"), Column.field("name"), Column.field("type"),
        Column.field("expires_at"), Column.field("key"));

    public static final List<Column> ACCESS_TOKEN = List.of(Column.field("token_type"), Column.field("expires_in"),
        Column.field("access_token"));

    public static final List<Column> AUDIT_EVENT = List.of(Column.field("time"), Column.field("actor"), Column.field("action"),
        Column.field("target"), Column.field("outcome"), Column.field("ip"), Column.field("on_behalf_of"));

    /** A webhook endpoint: STATUS reads enabled, or disabled with its reason (admin, failing); never its secret. */
    public static final List<Column> WEBHOOK = List.of(Column.field("id"), Column.field("url"), Column.field("events"),
        new Column("STATUS", Views::webhookStatus), Column.field("failing_since"), Column.field("description"));

    /** A webhook endpoint just created, or its secret just rotated: the signing secret in the last column, this one time. */
    public static final List<Column> CREATED_WEBHOOK = List.of(Column.field("id"), Column.field("url"), Column.field("events"),
        new Column("STATUS", Views::webhookStatus), Column.field("secret"));

    /** One delivery of an event to an endpoint. */
    public static final List<Column> DELIVERY = List.of(Column.field("id"), Column.field("type"), Column.field("status"),
        Column.field("attempt"), Column.field("RESPONSE", "response_status"), Column.field("last_error"),
        Column.field("delivered_at"), Column.field("next_attempt_at"), Column.field("event_id"));

    static String webhookStatus(java.util.Map<String, Object> w) {
        if (!Boolean.TRUE.equals(w.get("disabled"))) return "enabled";
        Object reason = w.get("disabled_reason");
        return reason == null ? "disabled" : "disabled (" + reason + ")";
    }

    public static final List<Column> WHOAMI = List.of(Column.nested("NAME", "principal", "name"),
        Column.nested("TYPE", "principal", "type"), Column.nested("EMAIL", "principal", "email"),
        Column.nested("ORG", "principal", "org"), Column.nested("CREDENTIAL", "credential", "kind"),
        Column.nested("KEY_TYPE", "credential", "type"), Column.nested("ACTOR", "actor", "email"));

    /** A federation issuer: never a secret (it has none); an inline JWKS shows as "inline". */
    public static final List<Column> FEDERATION_ISSUER = List.of(Column.field("name"), Column.field("issuer_url"),
        new Column("KEYS", Views::issuerKeys), Column.field("MAX_TOKEN_AGE", "max_token_age_seconds"),
        Column.field("require_jti"), Column.field("created_at"));

    static String issuerKeys(java.util.Map<String, Object> i) {
        if (i.get("jwks") != null) return "inline";
        Object uri = i.get("jwks_uri");
        return uri == null ? "discovery" : uri.toString();
    }

    /** A federated credential (a "workload identity"): what a workload token must carry to act as the account. */
    public static final List<Column> FEDERATED_CREDENTIAL = List.of(Column.field("name"), Column.field("issuer"),
        Column.field("audience"), Column.field("subject"), Column.field("subject_prefix"), Column.field("condition"),
        Column.field("LIFETIME", "token_lifetime_seconds"), Column.field("last_used_at"));
}
