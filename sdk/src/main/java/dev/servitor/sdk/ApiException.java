// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.util.Map;

/**
 * The API answered with an error. For {@code /v1} calls the fields come from the RFC 9457 problem
 * document ({@code status}, {@code code}, {@code detail}, {@code field}); for the OAuth endpoints
 * from the RFC 6749 error ({@code code} = {@code error}, {@code detail} = {@code error_description}).
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String detail;
    private final String field;
    private final String requestId;
    private final Map<String, Object> body;

    public ApiException(int status, String code, String detail, String field, String requestId, Map<String, Object> body) {
        super(status + (code == null ? "" : " " + code) + ": " + detail);
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.field = field;
        this.requestId = requestId;
        this.body = Json.frozen(body);
    }

    static ApiException of(int status, String text) {
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (parsed instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked") Map<String, Object> p = (Map<String, Object>) m;
            String code = Json.string(p, "code") != null ? Json.string(p, "code") : Json.string(p, "error");
            String detail = Json.string(p, "detail") != null ? Json.string(p, "detail")
                : Json.string(p, "error_description") != null ? Json.string(p, "error_description")
                : Json.string(p, "title") != null ? Json.string(p, "title") : code;
            return new ApiException(status, code, detail != null ? detail : "HTTP " + status, Json.string(p, "field"),
                Json.string(p, "request_id"), p);
        }
        String detail = text == null || text.isBlank() ? "HTTP " + status : Json.abbreviate(text.strip());
        return new ApiException(status, null, detail, null, null, null);
    }

    /** The HTTP status. */
    public int status() { return status; }
    /** The stable machine-readable word, e.g. {@code service_account_exists}; null when the server gave none. */
    public String code() { return code; }
    /** The human-readable explanation meant for the caller. */
    public String detail() { return detail; }
    /** The input field at fault, when the server named one. */
    public String field() { return field; }
    /** The server's request id, to quote in a support request. */
    public String requestId() { return requestId; }
    /** The whole parsed error document (empty when the body was not JSON). */
    public Map<String, Object> body() { return body; }
}
