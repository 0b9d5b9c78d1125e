// SPDX-License-Identifier: Apache-2.0
package dev.servitor.common;

/**
 * Every error a caller can see, with its HTTP status and stable machine-readable code.
 * The REST problem documents, the SQL executor and the CLI all speak this vocabulary.
 */
public enum ErrorCode {
    MALFORMED_REQUEST(400, "malformed_request", "Malformed request"),
    SYNTAX_ERROR(400, "syntax_error", "Syntax error"),
    INVALID_FIELD_TYPE(400, "invalid_type", "Field has the wrong type"),
    UNKNOWN_FIELD(400, "unknown_field", "Unknown field"),
    MISSING_FIELD(422, "missing_field", "Required field is missing"),
    INVALID_NAME(422, "invalid_name", "Invalid name"),
    INVALID_VALUE(422, "invalid_value", "Invalid value"),
    KEY_LIFETIME_EXCEEDS_POLICY(422, "key_lifetime_exceeds_policy", "Key lifetime exceeds the credential policy"),
    INVALID_PAGE_TOKEN(400, "invalid_page_token", "Invalid page token"),
    UNKNOWN_ROLE(422, "unknown_role", "Unknown role"),
    UNKNOWN_GROUP(422, "unknown_group", "Unknown group"),
    UNKNOWN_NETWORK_POLICY(422, "unknown_network_policy", "Unknown network policy"),
    INVALID_IP(422, "invalid_ip", "Invalid IP address or CIDR"),
    TENANT_NOT_PINNED(422, "tenant_not_pinned", "The credential does not pin a tenant of a shared issuer"),
    UNKNOWN_ISSUER(422, "unknown_issuer", "Unknown federation issuer"),
    UNAUTHENTICATED(401, "unauthenticated", "Authentication required"),
    FORBIDDEN(403, "forbidden", "Not allowed"),
    IP_NOT_ALLOWED(403, "ip_not_allowed", "Client address not allowed"),
    NETWORK_POLICY_REQUIRED(403, "network_policy_required", "A network policy is required"),
    IMPERSONATION_FORBIDDEN(403, "impersonation_forbidden", "Not allowed under impersonation"),
    INVALID_CURRENT_PASSWORD(403, "invalid_current_password", "Current password required"),
    ORG_REQUIRED(400, "org_required", "Organization required"),
    NOT_FOUND(404, "not_found", "Not found"),
    SERVICE_ACCOUNT_NOT_FOUND(404, "service_account_not_found", "Service account not found"),
    USER_NOT_FOUND(404, "user_not_found", "User not found"),
    KEY_NOT_FOUND(404, "key_not_found", "API key not found"),
    PUBLIC_KEY_NOT_FOUND(404, "public_key_not_found", "Public key not found"),
    NETWORK_POLICY_NOT_FOUND(404, "network_policy_not_found", "Network policy not found"),
    ISSUER_NOT_FOUND(404, "issuer_not_found", "Federation issuer not found"),
    FEDERATED_CREDENTIAL_NOT_FOUND(404, "federated_credential_not_found", "Federated credential not found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", "Method not allowed"),
    SERVICE_ACCOUNT_EXISTS(409, "service_account_exists", "Service account exists"),
    KEY_LIMIT_REACHED(409, "key_limit_reached", "Key limit reached"),
    KEY_RETIRING(409, "key_retiring", "Key is already being replaced"),
    PUBLIC_KEY_LIMIT_REACHED(409, "public_key_limit_reached", "Public key limit reached"),
    PUBLIC_KEY_EXISTS(409, "public_key_exists", "Public key exists"),
    LINKED_USERS_EXIST(409, "linked_users_exist", "Linked users exist"),
    ROLE_EXISTS(409, "role_exists", "Role exists"),
    GROUP_EXISTS(409, "group_exists", "Group exists"),
    ROLE_IN_USE(409, "role_in_use", "Role in use"),
    GROUP_REQUIRED(422, "group_required", "At least one group is required"),
    QUOTA_EXCEEDED(409, "quota_exceeded", "Quota exceeded"),
    ROLE_NOT_FOUND(404, "role_not_found", "Role not found"),
    GROUP_NOT_FOUND(404, "group_not_found", "Group not found"),
    ORG_EXISTS(409, "org_exists", "Organization exists"),
    USER_EXISTS(409, "user_exists", "User exists"),
    EMAIL_TAKEN(409, "email_taken", "E-mail address taken"),
    WORKSPACE_EXISTS(409, "workspace_exists", "Workspace exists"),
    WORKSPACE_NOT_FOUND(404, "workspace_not_found", "Workspace not found"),
    WORKSPACE_NOT_EMPTY(409, "workspace_not_empty", "Workspace has users"),
    ALREADY_LINKED(409, "service_account_already_linked", "Service account already linked in this workspace"),
    NETWORK_POLICY_EXISTS(409, "network_policy_exists", "Network policy exists"),
    POLICY_IN_USE(409, "policy_in_use", "Network policy in use"),
    ISSUER_EXISTS(409, "issuer_exists", "Federation issuer exists"),
    ISSUER_IN_USE(409, "issuer_in_use", "Federation issuer in use"),
    FEDERATED_CREDENTIAL_EXISTS(409, "federated_credential_exists", "Federated credential exists"),
    WEBHOOK_DISABLED(409, "webhook_disabled", "Webhook endpoint disabled"),
    REQUEST_TIMEOUT(408, "request_timeout", "Request body too slow"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large", "Request body too large"),
    URI_TOO_LONG(414, "uri_too_long", "Request URI too long"),
    HEADERS_TOO_LARGE(431, "headers_too_large", "Request headers too large"),
    TOO_MANY_STATEMENTS(413, "too_many_statements", "Too many statements"),
    RESULT_TOO_LARGE(413, "result_too_large", "Result too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", "Unsupported media type"),
    RATE_LIMITED(429, "rate_limited", "Too many failed authentications"),
    UNAVAILABLE(503, "unavailable", "Service unavailable"),
    STORAGE_FULL(503, "storage_full", "Storage full"),
    INTERNAL(500, "internal_error", "Internal error");

    private final int status;
    private final String code;
    private final String title;

    ErrorCode(int status, String code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public int status() { return status; }
    public String code() { return code; }
    public String title() { return title; }
}
