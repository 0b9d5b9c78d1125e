// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.server.testing.TestServer.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Random and mutated bodies (fixed seed, so a failure replays) at every endpoint that takes a
 * body, listed from the server itself, with an org admin's key, with a bogus key and with
 * none: every answer is below 500, every error a problem document (an RFC 6749 error on
 * {@code /oauth/*}), and nothing is logged with a stack trace. Mutations start from valid
 * bodies and break them the ways the contract's strict JSON names: bytes that are not UTF-8,
 * byte order marks, duplicate members, trailing data, deep nesting, NUL and lone surrogates,
 * long strings and lists, numbers of any size.
 *
 * <p>A longer run, as a benchmark-style job: {@code mvn -o -pl server test
 * -Dtest=JsonFuzzOnPostgresTest -Dfuzz.requests=200000 -Dfuzz.seed=$RANDOM}.
 */
abstract class JsonFuzzContract extends ApiContract {
    private static final long SEED = Long.getLong("fuzz.seed", 20261124L);
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 1500);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String[] FIELDS = {"name", "description", "role", "groups", "network_policy", "is_org_admin", "issue_key",
        "type", "token_type", "ttl_seconds", "ttl", "expires_in_days", "grace_seconds", "credential", "permission", "ip", "username",
        "email", "password", "disabled", "org", "admin_username", "admin_email", "service_accounts_require_group",
        "access_token_lifetime_seconds", "quotas", "max_service_accounts", "max_keys_per_service_account", "max_keys_per_user",
        "allowed_ips", "blocked_ips", "service_account", "login", "default_database", "default_engine", "permissions", "roles",
        "config", "read_write", "read_scaling", "instance_size", "flock_size", "sql", "extra", ""};
    private static final String[] VALUES = {"null", "true", "false", "0", "-1", "1", "1.5", "-0", "1e999", "-1e999", "1e-999",
        "18446744073709551616", "9223372036854775807", "-9223372036854775809", "2147483648", "300", "\"300\"", "\"\"", "\"x\"",
        "\"fuzz-sa\"", "\"fuzz-user\"", "\"fuzz-role\"", "\"fuzz-group\"", "\"read_write\"", "\"read_scaling\"", "\"verify\"",
        "\"org_admin\"", "\"10.0.0.0/8\"", "\"::1\"", "\"127.0.0.1\"", "\"0.0.0.0/0\"", "\"a@b.example\"", "\"correct horse battery\"",
        "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud83d\\ude00\"", "\"\\u202e\"", "\"\\u2028\"", "\"ünï\"",
        "\"SHOW SERVICE ACCOUNTS\"", "\"' OR 1=1 --\"", "\"%00\"", "\"../../etc/passwd\"", "[]", "[\"a\"]", "[1]", "[null]",
        "[\"fuzz-role\",\"fuzz-role\"]", "{}", "{\"a\":1}", "{\"read_write\":{\"instance_size\":\"pulse\"}}",
        "{\"max_service_accounts\":1}"};
    private static final String[] INSERTS = {"\"", "\\", "{", "}", "[", "]", ",", ":", "\\u0000", "\\ud800", "\\udc00", "\u0000",
        "1e999", "-", "null", "\uD83D\uDE00", "\u2028", "\t", "\n", "\\", "\\x", "\\u12", "/*", "'", "NaN", "Infinity", "0x10",
        "00", "+1", ".5", "true", "\u00ff", "\uFEFF"};
    private static final byte[][] BAD_BYTES = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        {(byte) 0xFE, (byte) 0xFF}, {0}};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json", "application/json", "application/json; charset=utf-16",
        "text/plain", "application/x-www-form-urlencoded", null};
    private static final String[] PATH_VALUES = {"nobody", "x".repeat(64), "%C3%BC", "..", "%20", "a.b", "-", "key_" + "0".repeat(20)};
    private static final String[] QUERIES = {"", "", "?if_not_exists=true", "?if_not_exists=maybe", "?page_size=0", "?page_token=AA",
        "?q=%00", "?x=%ED%A0%80", "?_method=DELETE", "?q=%C3", "?q=a&q=b"};

    /** The seed bodies of each endpoint: valid, or nearly, so that mutations reach the rules behind the parser. */
    private static final Map<String, List<String>> SEEDS = Map.ofEntries(
        Map.entry("/v1/service-accounts", List.of("{\"name\":\"fz\",\"description\":\"d\",\"role\":\"read_write\",\"groups\":[],\"is_org_admin\":false,\"issue_key\":true}")),
        Map.entry("/v1/service-accounts/{name}", List.of("{\"description\":\"d\",\"role\":\"read_only\",\"network_policy\":null}")),
        Map.entry("/v1/service-accounts/{name}/keys", List.of("{\"name\":\"k\",\"description\":\"d\",\"type\":\"read_write\",\"ttl_seconds\":300}",
            "{\"name\":\"k\",\"token_type\":\"read_scaling\",\"ttl\":\"300\",\"expires_in_days\":3}")),
        Map.entry("/v1/users/{name}/keys", List.of("{\"name\":\"k\",\"ttl_seconds\":300}")),
        Map.entry("/v1/service-accounts/{name}/keys/{key_id}/rotate", List.of("{\"grace_seconds\":0}", "")),
        Map.entry("/v1/service-accounts/{name}/secret", List.of("{\"grace_seconds\":60}", "")),
        Map.entry("/v1/service-accounts/{name}/public-keys", List.of("{\"jwk\":" + AuthorizationMatrixTest.PUBLIC_JWK + "}",
            "{\"pem\":\"-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----\"}")),
        Map.entry("/v1/service-accounts/{name}/instances", List.of(
            "{\"config\":{\"read_write\":{\"instance_size\":\"pulse\"},\"read_scaling\":{\"instance_size\":\"pulse\",\"flock_size\":2}}}")),
        Map.entry("/v1/verify", List.of("{\"credential\":\"svt_x\",\"permission\":\"verify\",\"ip\":\"10.1.2.3\"}")),
        Map.entry("/v1/session", List.of("{\"username\":\"fuzz-user\",\"password\":\"correct horse battery\",\"org\":\"fz\"}")),
        Map.entry("/v1/users", List.of("{\"username\":\"fz\",\"email\":\"fz@example.com\",\"password\":\"correct horse battery\",\"role\":\"user\"}")),
        Map.entry("/v1/users/{username}", List.of("{\"email\":\"fz2@example.com\",\"role\":\"user\",\"disabled\":false,\"network_policy\":null}")),
        Map.entry("/v1/orgs", List.of("{\"name\":\"fzorg\",\"admin_username\":\"boss\",\"admin_email\":\"boss@fz.example\"}")),
        Map.entry("/v1/org", List.of("{\"service_accounts_require_group\":false,\"access_token_lifetime_seconds\":900,"
            + "\"quotas\":{\"max_service_accounts\":1000,\"max_keys_per_service_account\":50,\"max_keys_per_user\":50}}")),
        Map.entry("/v1/roles", List.of("{\"name\":\"fzr\",\"description\":\"d\",\"permissions\":[\"verify\"]}")),
        Map.entry("/v1/roles/{name}", List.of("{\"description\":\"d\",\"permissions\":[\"verify\",\"keys:read\"]}")),
        Map.entry("/v1/groups", List.of("{\"name\":\"fzg\",\"description\":\"d\",\"roles\":[\"fuzz-role\"]}")),
        Map.entry("/v1/groups/{name}", List.of("{\"description\":\"d\",\"roles\":[]}")),
        Map.entry("/v1/network-policies", List.of("{\"name\":\"fzp\",\"description\":\"d\",\"allowed_ips\":[\"0.0.0.0/0\",\"::/0\"],\"blocked_ips\":[\"10.0.0.1\"]}")),
        Map.entry("/v1/network-policies/{name}", List.of("{\"description\":\"d\",\"allowed_ips\":[\"0.0.0.0/0\",\"::/0\"],\"blocked_ips\":null}")),
        Map.entry("/v1/workspaces", List.of("{\"name\":\"fzw\"}")),
        Map.entry("/v1/federation/issuers", List.of("{\"name\":\"fzi\",\"issuer_url\":\"https://issuer.example\",\"jwks_uri\":null,"
            + "\"max_token_age_seconds\":600,\"require_jti\":true}")),
        Map.entry("/v1/federation/issuers/{issuer}", List.of("{\"max_token_age_seconds\":900,\"jwks\":null}")),
        Map.entry("/v1/service-accounts/{name}/federated-credentials", List.of("{\"name\":\"fzc\",\"issuer\":\"fuzz-issuer\","
            + "\"audience\":\"a\",\"subject\":\"s\",\"claims\":{\"ref\":\"main\"},\"condition\":\"claims.ref == 'main'\","
            + "\"token_lifetime_seconds\":300}")),
        Map.entry("/v1/service-accounts/{name}/federated-credentials/{fc}", List.of("{\"subject_prefix\":\"x\",\"condition\":null}")),
        Map.entry("/v1/workspaces/{ws}/users", List.of("{\"name\":\"fzu\",\"service_account\":\"fuzz-sa\",\"login\":\"l\",\"default_database\":\"db\",\"default_engine\":\"e\"}")),
        Map.entry("/v1/workspaces/{ws}/users/{name}", List.of("{\"service_account\":null,\"login\":\"l2\",\"default_database\":\"db2\"}")),
        Map.entry("/v1/sql", List.of("{\"sql\":\"SHOW SERVICE ACCOUNTS;\"}", "{\"sql\":\"CREATE SERVICE ACCOUNT fzs WITH DESCRIPTION = 'x';\"}",
            "{\"sql\":\"CREATE API KEY k FOR SERVICE ACCOUNT \\\"fuzz-sa\\\" WITH TTL = 300\"}")));
    private static final List<String> FORM_SEEDS = List.of("grant_type=client_credentials&client_id=ID&client_secret=SECRET&scope=a+b&audience=x",
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=ID&subject_token_type="
            + "urn%3Aservitor%3Aparams%3Aoauth%3Atoken-type%3Aservice-account-id&actor_token=KEY&actor_token_type="
            + "urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token",
        "token=KEY&token_type_hint=access_token", "token=KEY&client_id=ID&client_secret=SECRET");

    private String instanceAdmin;
    private String orgKey;
    private String clientId;
    private String clientSecret;
    private String keyId;
    private int orgs;

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        // the fuzzer fails many log-ins on purpose; the limiter's 429s would hide the endpoints behind it
        return config.withAccess(new ServitorConfig.Access(config.access().instanceSizes(), 1_000_000, 1_000_000));
    }

    /** A fresh organization with one of everything the paths name; its admin is the fuzzing admin. */
    private void newOrganization() {
        instanceAdmin = admin();
        String org = "fuzz-org-" + (++orgs);
        orgKey = server.post("/v1/orgs", instanceAdmin, "{\"name\":\"" + org + "\",\"admin_username\":\"boss\",\"admin_email\":\"boss@"
            + org + ".example\"}").expect(201).json().get("admin_key").asText();
        server.post("/v1/service-accounts", orgKey, "{\"name\":\"fuzz-sa\"}").expect(201);
        keyId = server.post("/v1/service-accounts/fuzz-sa/keys", orgKey, "{\"name\":\"k\"}").expect(201).json().get("id").asText();
        JsonNode secret = server.post("/v1/service-accounts/fuzz-sa/secret", orgKey, null).expect(201).json();
        clientId = secret.get("client_id").asText();
        clientSecret = secret.get("client_secret").asText();
        server.post("/v1/service-accounts/fuzz-sa/public-keys", orgKey, "{\"jwk\":" + AuthorizationMatrixTest.PUBLIC_JWK + "}").expect(201);
        server.post("/v1/users", orgKey, "{\"username\":\"fuzz-user\",\"email\":\"fuzz-user@" + org + ".example\","
            + "\"password\":\"correct horse battery\"}").expect(201);
        server.post("/v1/roles", orgKey, "{\"name\":\"fuzz-role\",\"permissions\":[\"verify\"]}").expect(201);
        server.post("/v1/groups", orgKey, "{\"name\":\"fuzz-group\",\"roles\":[\"fuzz-role\"]}").expect(201);
        server.post("/v1/network-policies", orgKey, "{\"name\":\"fuzz-policy\",\"allowed_ips\":[\"0.0.0.0/0\",\"::/0\"]}").expect(201);
        server.post("/v1/workspaces", orgKey, "{\"name\":\"fuzz-ws\"}").expect(201);
        server.post("/v1/federation/issuers", orgKey, "{\"name\":\"fuzz-issuer\",\"issuer_url\":\"https://issuer.example\"}").expect(201);
        server.post("/v1/service-accounts/fuzz-sa/federated-credentials", orgKey,
            "{\"name\":\"fuzz-fc\",\"issuer\":\"fuzz-issuer\",\"audience\":\"a\"}").expect(201);
        server.post("/v1/workspaces/fuzz-ws/users", orgKey, "{\"name\":\"fuzz-wsuser\"}").expect(201);
    }

    /** A fuzzed body may lock the organization's admin out (a network policy on the org, say): then the fuzz moves on to a new one. */
    private void keepAdminUsable() {
        if (server.get("/v1/whoami", orgKey).status() != 200) newOrganization();
        else if (server.get("/v1/service-accounts/fuzz-sa", orgKey).status() == 404) {
            server.post("/v1/service-accounts", orgKey, "{\"name\":\"fuzz-sa\"}");
        }
    }

    @Test
    void no_body_on_any_endpoint_gets_a_server_error_or_logs_a_stack_trace() {
        newOrganization();
        List<ApiServer.Route> routes = server.routes().stream()
            .filter(r -> List.of("POST", "PUT", "PATCH").contains(r.method()))
            .filter(r -> r.path().startsWith("/v1/") || r.path().startsWith("/oauth/"))
            .toList();
        assertThat(routes).as("the server lists its endpoints").hasSizeGreaterThanOrEqualTo(25);
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        try {
            for (int i = 0; i < REQUESTS && failures.size() < 20; i++) {
                if (i % 100 == 99) keepAdminUsable();
                ApiServer.Route route = routes.get(random.nextInt(routes.size()));
                String failure = fuzzOnce(route, random);
                if (failure != null) failures.add("seed " + SEED + ", request " + i + ": " + failure);
            }
        } finally {
            root.detachAppender(log);
        }
        assertThat(failures).as("answers of 500 or more, or errors that are not problem documents").isEmpty();
        List<String> traces = log.list.stream().filter(e -> e.getThrowableProxy() != null)
            .map(e -> e.getFormattedMessage() + "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())).toList();
        assertThat(traces).as("stack traces in the log").isEmpty();
    }

    /** Sends one fuzzed request; a description of what went wrong, or null. */
    private String fuzzOnce(ApiServer.Route route, Random r) {
        boolean oauth = route.path().startsWith("/oauth/");
        int who = r.nextInt(10);
        String key = who < 7 ? (route.path().equals("/v1/orgs") ? instanceAdmin : orgKey) : who < 9 ? null : "svt_" + "A".repeat(49);
        String path = path(route.path(), r) + (oauth ? "" : QUERIES[r.nextInt(QUERIES.length)]);
        byte[] body;
        String type;
        if (oauth) {
            body = formBody(r).getBytes(StandardCharsets.UTF_8);
            type = r.nextInt(8) == 0 ? "application/json" : "application/x-www-form-urlencoded";
            if (r.nextBoolean()) key = null; // the client authenticates in the form
        } else {
            body = jsonBody(route.path(), r);
            type = CONTENT_TYPES[r.nextInt(CONTENT_TYPES.length)];
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
            .method(route.method(), HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) b.header("Content-Type", type);
        if (key != null) b.header("Authorization", "Bearer " + key);
        String sent = route.method() + " " + path + " (" + (key == null ? "no key" : key.equals(orgKey) || key.equals(instanceAdmin) ? "admin" : "bogus key")
            + ", " + body.length + " bytes) " + printable(body);
        Response resp;
        try {
            resp = server.send(b.build());
        } catch (java.io.UncheckedIOException e) {
            return "no answer (" + e.getCause().getMessage() + "): " + sent;
        }
        String what = sent + " -> " + resp.status() + " " + resp.body();
        if (resp.status() >= 500) return what;
        if (resp.status() < 400) return null;
        return oauth ? oauthError(resp, what) : problem(resp, what);
    }

    private static String problem(Response resp, String what) {
        if (!String.valueOf(resp.header("Content-Type")).startsWith("application/problem+json")) return "not a problem document: " + what;
        try {
            JsonNode p = JSON.readTree(resp.body());
            if (p.get("status").asInt() != resp.status() || !p.hasNonNull("code") || !p.hasNonNull("type") || !p.hasNonNull("title")) {
                return "an incomplete problem document: " + what;
            }
        } catch (Exception e) {
            return "not JSON: " + what;
        }
        return null;
    }

    private static String oauthError(Response resp, String what) {
        try {
            return JSON.readTree(resp.body()).hasNonNull("error") ? null : "no OAuth error: " + what;
        } catch (Exception e) {
            return problem(resp, what); // a /v1 credential refused on introspection is answered by the /v1 rules
        }
    }

    private String path(String template, Random r) {
        String p = template.replace("/v1/users/{name}/keys", "/v1/users/" + pick(r, "fuzz-user") + "/keys")
            .replace("{username}", pick(r, "fuzz-user"))
            .replace("{key_id}", pick(r, keyId))
            .replace("{kid}", pick(r, "target-kid"))
            .replace("{ws}", pick(r, "fuzz-ws"))
            .replace("{id}", pick(r, "wh_fuzz"))
            .replace("{delivery_id}", pick(r, "whd_fuzz"))
            .replace("{issuer}", pick(r, "fuzz-issuer"))
            .replace("{fc}", pick(r, "fuzz-fc"));
        if (p.startsWith("/v1/workspaces/")) return p.replace("{name}", pick(r, "fuzz-wsuser"));
        if (p.startsWith("/v1/roles/")) return p.replace("{name}", pick(r, "fuzz-role"));
        if (p.startsWith("/v1/groups/")) return p.replace("{name}", pick(r, "fuzz-group"));
        if (p.startsWith("/v1/network-policies/")) return p.replace("{name}", pick(r, "fuzz-policy"));
        return p.replace("{name}", pick(r, "fuzz-sa"));
    }

    private static String pick(Random r, String usual) {
        return r.nextInt(5) == 0 ? PATH_VALUES[r.nextInt(PATH_VALUES.length)] : usual;
    }

    private byte[] jsonBody(String template, Random r) {
        List<String> seeds = SEEDS.getOrDefault(template, List.of("{}"));
        String text = switch (r.nextInt(3)) {
            case 0 -> seeds.get(r.nextInt(seeds.size()));
            case 1 -> generated(r, 0);
            default -> mutate(seeds.get(r.nextInt(seeds.size())), r, 1 + r.nextInt(3));
        };
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return r.nextInt(6) == 0 ? mutateBytes(bytes, r) : bytes;
    }

    /** An object of known member names and interesting values, sometimes nested. */
    private static String generated(Random r, int depth) {
        List<String> members = new ArrayList<>();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            String value = depth < 2 && r.nextInt(6) == 0 ? generated(r, depth + 1) : VALUES[r.nextInt(VALUES.length)];
            members.add("\"" + FIELDS[r.nextInt(FIELDS.length)] + "\":" + value);
        }
        return "{" + String.join(",", members) + "}";
    }

    private static String mutate(String text, Random r, int times) {
        StringBuilder s = new StringBuilder(text);
        for (int t = 0; t < times; t++) {
            int at = s.isEmpty() ? 0 : r.nextInt(s.length() + 1);
            switch (r.nextInt(10)) {
                case 0 -> s.insert(at, INSERTS[r.nextInt(INSERTS.length)]);
                case 1 -> { if (at < s.length()) s.delete(at, Math.min(s.length(), at + 1 + r.nextInt(8))); }
                case 2 -> { if (at < s.length()) s.insert(at, s.substring(at, Math.min(s.length(), at + 1 + r.nextInt(20)))); }
                case 3 -> s.append(r.nextBoolean() ? " {}" : INSERTS[r.nextInt(INSERTS.length)]); // trailing data
                case 4 -> { // a member given twice
                    int colon = s.indexOf(":");
                    int quote = colon > 0 ? s.lastIndexOf("\"", s.lastIndexOf("\"", colon - 1) - 1) : -1;
                    if (quote >= 0 && s.charAt(s.length() - 1) == '}') s.insert(s.length() - 1, "," + s.substring(quote, colon) + ":" + VALUES[r.nextInt(VALUES.length)]);
                }
                case 5 -> { // deep nesting around a value
                    int d = r.nextInt(4) == 0 ? 900 + r.nextInt(200) : 1 + r.nextInt(80); // past Jackson's own limit of 1000 too
                    int colon = s.indexOf(":", at);
                    if (colon > 0) s.insert(colon + 1, "[".repeat(d)).insert(nextValueEnd(s, colon + 1 + d), "]".repeat(d));
                }
                case 6 -> { // a long string or list where a value was
                    int colon = s.indexOf(":", at);
                    if (colon > 0) s.insert(colon + 1, r.nextBoolean() ? "\"" + "z".repeat(1000 + r.nextInt(2000)) + "\","
                        : "[" + String.join(",", Collections.nCopies(900 + r.nextInt(200), "\"verify\"")) + "],");
                }
                case 7 -> { // a number of any size
                    int colon = s.indexOf(":", at);
                    if (colon > 0) s.insert(colon + 1, "9".repeat(1 + r.nextInt(1200)) + (r.nextBoolean() ? "e" + r.nextInt(2000) : "") + ",");
                }
                case 8 -> {
                    if (r.nextBoolean() && at < s.length()) s.setCharAt(at, (char) r.nextInt(0x80));
                    else if (s.indexOf("{") >= 0) s.insert(s.indexOf("{") + 1, "\"" + "n".repeat(r.nextInt(60_000)) + "\":1,"); // a long member name
                }
                default -> s.insert(at, VALUES[r.nextInt(VALUES.length)]);
            }
        }
        return s.toString();
    }

    private static int nextValueEnd(StringBuilder s, int from) {
        for (int i = from; i < s.length(); i++) if (s.charAt(i) == ',' || s.charAt(i) == '}') return i;
        return s.length();
    }

    private static byte[] mutateBytes(byte[] bytes, Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> new String(bytes, StandardCharsets.UTF_8).getBytes(r.nextBoolean() ? StandardCharsets.UTF_16 : StandardCharsets.UTF_16LE);
            case 1 -> {
                byte[] bad = BAD_BYTES[r.nextInt(BAD_BYTES.length)];
                int at = r.nextInt(bytes.length + 1);
                byte[] out = new byte[bytes.length + bad.length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bad, 0, out, at, bad.length);
                System.arraycopy(bytes, at, out, at + bad.length, bytes.length - at);
                yield out;
            }
            case 2 -> {
                byte[] out = bytes.clone();
                if (out.length > 0) out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
                yield out;
            }
            default -> java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length + 1)); // truncated
        };
    }

    private String formBody(Random r) {
        String seed = FORM_SEEDS.get(r.nextInt(FORM_SEEDS.size())).replace("ID", enc(clientId)).replace("SECRET", enc(clientSecret))
            .replace("KEY", enc(orgKey));
        if (r.nextInt(3) == 0) return seed;
        StringBuilder s = new StringBuilder(seed);
        for (int t = 0, n = 1 + r.nextInt(3); t < n; t++) {
            int at = r.nextInt(s.length() + 1);
            switch (r.nextInt(5)) {
                case 0 -> s.insert(at, new String[] {"%00", "%", "%zz", "&", "=", "+", "%ED%A0%80", "%FF", "&grant_type=x", "&client_id=y",
                    "&actor_token_type=", "&scope=%00", "&audience=" + "a".repeat(5000)}[r.nextInt(13)]);
                case 1 -> { if (at < s.length()) s.delete(at, Math.min(s.length(), at + 1 + r.nextInt(12))); }
                case 2 -> s.append("&").append(s, 0, Math.min(s.length(), r.nextInt(40))); // a parameter given twice
                case 3 -> { if (at < s.length()) s.setCharAt(at, (char) (0x20 + r.nextInt(0x5f))); }
                default -> s.insert(at, "&" + FIELDS[r.nextInt(FIELDS.length)] + "=" + enc(VALUES[r.nextInt(VALUES.length)]));
            }
        }
        return s.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The body for a failure message: short, with control characters and non-ASCII escaped. */
    private static String printable(byte[] body) {
        StringBuilder sb = new StringBuilder();
        String s = new String(body, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < s.length() && sb.length() < 400; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}
