// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * A client of the Servitor HTTP API (docs/api.md) over the JDK {@link HttpClient}. Thread-safe.
 * Every call sends the credential as {@code Authorization: Bearer …}; an error answer becomes an
 * {@link ApiException} carrying the problem document's status, code, detail and field; a network
 * failure an {@link UncheckedIOException}. The credential is never part of any message or toString.
 *
 * <pre>{@code
 * ServitorClient c = ServitorClient.builder().url("https://servitor.example").token(key).build();
 * ServiceAccount sa = c.createServiceAccount(NewServiceAccount.named("ci-bot").role("contributor").issueKey(true));
 * }</pre>
 */
public final class ServitorClient {
    private final URI base;
    private final String token;
    private final HttpClient http;
    private final Duration timeout;

    private ServitorClient(Builder b) {
        String u = Objects.requireNonNull(b.url, "url");
        this.base = URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        this.token = b.token;
        this.timeout = b.timeout;
        this.http = b.http != null ? b.http
            : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(b.timeout).build();
    }

    public static Builder builder() { return new Builder(); }

    /** How to reach the server and who to be. */
    public static final class Builder {
        private String url = "http://127.0.0.1:8080";
        private String token;
        private HttpClient http;
        private Duration timeout = Duration.ofSeconds(30);

        public Builder url(String url) { this.url = url; return this; }
        /** An API key, an access token, or null for the unauthenticated endpoints. */
        public Builder token(String token) { this.token = token; return this; }
        public Builder httpClient(HttpClient http) { this.http = http; return this; }
        public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }
        public ServitorClient build() { return new ServitorClient(this); }
    }

    public String url() { return base.toString(); }

    @Override
    public String toString() {
        return "ServitorClient[" + base + "]"; // never the token
    }

    // ---- service accounts -------------------------------------------------------------------

    /** Creates a service account (201), or under {@code ifNotExists} answers the existing one (200). */
    public ServiceAccount createServiceAccount(NewServiceAccount req) {
        String path = "/v1/service-accounts" + (req.ifNotExists() ? "?if_not_exists=true" : "");
        return ServiceAccount.of(send("POST", path, req.body()).object());
    }

    /** One page of service accounts; pass the previous page's token, or null for the first page. */
    public Page<ServiceAccount> listServiceAccounts(ServiceAccountQuery query, String pageToken) {
        return page("/v1/service-accounts", query.params(), pageToken, "service_accounts", ServiceAccount::of);
    }

    /** Every service account matching the query, following {@code next_page_token} to the last page. */
    public List<ServiceAccount> listServiceAccounts(ServiceAccountQuery query) {
        return all(t -> listServiceAccounts(query, t));
    }

    public ServiceAccount getServiceAccount(String name) {
        return ServiceAccount.of(send("GET", "/v1/service-accounts/" + seg(name), null).object());
    }

    public ServiceAccount updateServiceAccount(String name, ServiceAccountUpdate update) {
        return ServiceAccount.of(send("PATCH", "/v1/service-accounts/" + seg(name), update.body()).object());
    }

    /** While disabled, every credential of the account fails; {@link #enableServiceAccount} restores them. */
    public ServiceAccount disableServiceAccount(String name) {
        return ServiceAccount.of(send("POST", "/v1/service-accounts/" + seg(name) + "/disable", null).object());
    }

    public ServiceAccount enableServiceAccount(String name) {
        return ServiceAccount.of(send("POST", "/v1/service-accounts/" + seg(name) + "/enable", null).object());
    }

    /** Deletes the account; every key, secret and token of it stops working at once. */
    public void deleteServiceAccount(String name) {
        send("DELETE", "/v1/service-accounts/" + seg(name), null);
    }

    // ---- keys of service accounts and of users ----------------------------------------------

    public CreatedKey createKey(String serviceAccount, NewKey req) {
        return CreatedKey.of(send("POST", saKeys(serviceAccount), req.body()).object());
    }

    public List<ApiKey> listKeys(String serviceAccount) {
        return keys(saKeys(serviceAccount));
    }

    public void revokeKey(String serviceAccount, String keyId) {
        send("DELETE", saKeys(serviceAccount) + "/" + seg(keyId), null);
    }

    /** A new key replacing {@code keyId}; the old one keeps working for {@code graceSeconds} (null: 0). */
    public CreatedKey rotateKey(String serviceAccount, String keyId, Long graceSeconds) {
        return CreatedKey.of(send("POST", saKeys(serviceAccount) + "/" + seg(keyId) + "/rotate", grace(graceSeconds)).object());
    }

    /**
     * {@code PATCH …/keys/{key_id}}: {@code body} holds any of {@code name}, {@code description} and
     * {@code restrictions} (its members sent replace the key's, a member sent as null is cleared;
     * {@code restrictions} null clears them all).
     */
    public ApiKey updateKey(String serviceAccount, String keyId, Map<String, Object> body) {
        return ApiKey.of(send("PATCH", saKeys(serviceAccount) + "/" + seg(keyId), body).object());
    }

    public ApiKey updateUserKey(String username, String keyId, Map<String, Object> body) {
        return ApiKey.of(send("PATCH", userKeys(username) + "/" + seg(keyId), body).object());
    }

    public CreatedKey createUserKey(String username, NewKey req) {
        return CreatedKey.of(send("POST", userKeys(username), req.body()).object());
    }

    public List<ApiKey> listUserKeys(String username) {
        return keys(userKeys(username));
    }

    public void revokeUserKey(String username, String keyId) {
        send("DELETE", userKeys(username) + "/" + seg(keyId), null);
    }

    public CreatedKey rotateUserKey(String username, String keyId, Long graceSeconds) {
        return CreatedKey.of(send("POST", userKeys(username) + "/" + seg(keyId) + "/rotate", grace(graceSeconds)).object());
    }

    // ---- identity -------------------------------------------------------------------------

    public Identity whoami() {
        return Identity.of(send("GET", "/v1/whoami", null).object());
    }

    /**
     * Asks about a credential (the caller needs the {@code verify} permission); permission and ip may be null. A
     * refusal is an answer, not an exception: see {@link Verification} for its codes and fields. Each call counts as a
     * use of a metered key when it is otherwise accepted.
     */
    public Verification verify(String credential, String permission, String ip) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("credential", credential);
        if (permission != null) body.put("permission", permission);
        if (ip != null) body.put("ip", ip);
        return Verification.of(send("POST", "/v1/verify", body).object());
    }

    // ---- audit ----------------------------------------------------------------------------

    public Page<AuditEvent> listAuditEvents(AuditQuery query, String pageToken) {
        return page("/v1/audit-events", query.params(), pageToken, "audit_events", AuditEvent::of);
    }

    /** Every matching event, following {@code next_page_token} to the last page. */
    public List<AuditEvent> listAuditEvents(AuditQuery query) {
        return all(t -> listAuditEvents(query, t));
    }

    public AuditChain verifyAuditChain() {
        return AuditChain.of(send("GET", "/v1/audit-events/verify", null).object());
    }

    // ---- generic --------------------------------------------------------------------------

    /**
     * Any call of the API, for endpoints this client has no method for yet. {@code body} is a {@code Map}
     * or {@code List} (sent as JSON), a {@code String} (sent as text/plain), or null (no body).
     *
     * @throws ApiException for a 4xx or 5xx answer
     */
    public ApiResponse send(String method, String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        String contentType = null;
        if (body == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else if (body instanceof String s) {
            publisher = HttpRequest.BodyPublishers.ofString(s);
            contentType = "text/plain; charset=utf-8";
        } else {
            publisher = HttpRequest.BodyPublishers.ofString(Json.write(body));
            contentType = "application/json";
        }
        return exchange(method, path, publisher, contentType);
    }

    /** A form POST ({@code application/x-www-form-urlencoded}), as {@code /oauth/token} takes. */
    public ApiResponse sendForm(String path, Map<String, String> form) {
        StringJoiner j = new StringJoiner("&");
        form.forEach((k, v) -> {
            if (v != null) j.add(enc(k) + "=" + enc(v));
        });
        return exchange("POST", path, HttpRequest.BodyPublishers.ofString(j.toString()), "application/x-www-form-urlencoded");
    }

    private ApiResponse exchange(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path : "/" + path))
            .timeout(timeout).method(method, body).header("Accept", "application/json, application/problem+json");
        if (contentType != null) b.header("Content-Type", contentType);
        if (token != null && !token.isEmpty()) b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Servitor at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (r.statusCode() >= 400) throw ApiException.of(r.statusCode(), r.body());
        Object json;
        try {
            json = Json.parse(r.body());
        } catch (IllegalArgumentException e) {
            json = r.body();
        }
        return new ApiResponse(r.statusCode(), json);
    }

    private <T> Page<T> page(String path, Map<String, String> params, String pageToken, String field,
                             Function<Map<String, Object>, T> map) {
        Map<String, String> p = new LinkedHashMap<>(params);
        if (pageToken != null) p.put("page_token", pageToken);
        Map<String, Object> o = send("GET", path + query(p), null).object();
        List<T> items = Json.objects(o, field).stream().map(map).toList();
        return new Page<>(items, Json.string(o, "next_page_token"));
    }

    private static <T> List<T> all(Function<String, Page<T>> fetch) {
        List<T> out = new ArrayList<>();
        String token = null;
        do {
            Page<T> page = fetch.apply(token);
            out.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        return out;
    }

    private List<ApiKey> keys(String path) {
        return Json.objects(send("GET", path, null).object(), "keys").stream().map(ApiKey::of).toList();
    }

    private static Map<String, Object> grace(Long graceSeconds) {
        return graceSeconds == null ? null : Map.of("grace_seconds", graceSeconds);
    }

    private static String saKeys(String name) { return "/v1/service-accounts/" + seg(name) + "/keys"; }
    private static String userKeys(String name) { return "/v1/users/" + seg(name) + "/keys"; }

    /** A path segment, percent-encoded so that a name can never change the path. */
    public static String seg(String s) {
        return enc(Objects.requireNonNull(s, "name")).replace("+", "%20");
    }

    /** A query string ({@code ?a=1&b=2}, or empty) from the non-null parameters. */
    public static String query(Map<String, String> params) {
        StringJoiner j = new StringJoiner("&", "?", "");
        j.setEmptyValue("");
        params.forEach((k, v) -> {
            if (v != null) j.add(enc(k) + "=" + enc(v));
        });
        return j.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
