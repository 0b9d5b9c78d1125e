// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Checks real answers of a real server against the spec-first {@code openapi.yaml}: every
 * request and response of these tests goes through {@link OpenApiInteractionValidator}. The
 * validator treats an object schema without {@code additionalProperties} as closed, so a
 * member the server writes but the document does not describe fails too; it reads
 * {@code security} only from operations, so the document's top-level requirement is copied
 * onto every operation without its own (what OpenAPI means by it) before validating. The
 * {@code /oauth} endpoints are exercised with form bodies, which the validator checks against
 * their schemas as well. The last
 * test checks that every operation of the document was answered successfully at least once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private static TestServer server;
    private static String specYaml;
    private static JsonNode spec;
    private static OpenApiInteractionValidator validator;
    /** "METHOD /path/{template}" of every operation that answered 2xx. */
    private static final Set<String> covered = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() throws IOException {
        try (InputStream in = OpenApiConformanceTest.class.getResourceAsStream("/openapi.yaml")) {
            assertThat(in).as("openapi.yaml on the classpath").isNotNull();
            specYaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        spec = YAML.readTree(specYaml);
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(JSON.writeValueAsString(withInheritedSecurity(spec)))
            .build();
        // the tokens asked for these audiences are used on /v1 below: the platform's API is served with Servitor's
        server = TestServer.start(TestDatabases.Engine.SQLITE,
            cfg -> cfg.withTokens(cfg.tokens().withAcceptedAudiences(List.of("https://api.example.com", "aud1"))));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    // ---------------------------------------------------------------- the document itself

    @Test
    void theDocumentParsesWithoutMessages() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(specYaml, null, options);
        assertThat(result.getMessages()).as("swagger-parser messages").isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.0.3");
    }

    @Test
    void openapiJsonServesTheSameDocumentAsTheYaml() throws IOException {
        Exchange x = conforms(send("GET", "/openapi.json", null, null));
        assertThat(x.status).isEqualTo(200);
        assertThat(x.contentType).startsWith("application/json");
        assertThat(JSON.readTree(x.body)).isEqualTo(spec);
    }

    // ---------------------------------------------------------------- service routes

    @Test
    void serviceRoutesConform() {
        assertThat(conforms(send("GET", "/healthz", null, null)).status).isEqualTo(200);
        assertThat(conforms(send("GET", "/readyz", null, null)).status).isEqualTo(200);
        Exchange metrics = conforms(send("GET", "/metrics", null, null));
        assertThat(metrics.status).isEqualTo(200);
        assertThat(metrics.contentType).startsWith("text/plain");
        assertThat(metrics.body).contains("servitor_authentications");
    }

    // ---------------------------------------------------------------- identity

    @Test
    void whoamiConformsUnderEveryScheme() {
        for (String scheme : List.of("Bearer", "Token", "Key")) {
            Exchange x = conforms(send("GET", "/v1/whoami", scheme + " " + server.adminKey(), null));
            assertThat(x.status).as(scheme).isEqualTo(200);
            assertThat(x.json().at("/principal/type").asText()).isEqualTo("user");
            assertThat(x.json().at("/credential/kind").asText()).isEqualTo("api_key");
            assertThat(x.json().has("actor")).isFalse();
        }
    }

    @Test
    void verifyConformsForEveryAnswer() {
        createAccount("verify-target");
        String key = createKey("verify-target", "k1").json().get("key").asText();

        Exchange valid = conforms(post("/v1/verify", admin(), "{\"credential\":\"" + key + "\"}"));
        assertThat(valid.status).isEqualTo(200);
        assertThat(valid.json().get("code").asText()).isEqualTo("VALID");
        assertThat(valid.json().at("/credential/type").asText()).isEqualTo("read_write");

        Exchange forbidden = conforms(post("/v1/verify", admin(), "{\"credential\":\"" + key + "\",\"permission\":\"db:delete\",\"ip\":\"10.0.0.1\"}"));
        assertThat(forbidden.json().get("code").asText()).isEqualTo("FORBIDDEN");

        Exchange unknown = conforms(post("/v1/verify", admin(), "{\"credential\":\"nonsense\"}"));
        assertThat(unknown.json().get("valid").asBoolean()).isFalse();
        assertThat(unknown.json().get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(unknown.json().has("principal")).isFalse();

        conforms(post("/v1/service-accounts/verify-target/disable", admin(), null));
        Exchange disabled = conforms(post("/v1/verify", admin(), "{\"credential\":\"" + key + "\"}"));
        assertThat(disabled.json().get("code").asText()).isEqualTo("DISABLED");
        assertThat(disabled.json().has("principal")).isTrue();

        // the disabled account's own key: the uniform 401
        Exchange refused = responseConforms(send("GET", "/v1/whoami", "Bearer " + key, null));
        assertProblem(refused, 401, "unauthenticated");

        // a credential that is not allowed to verify: 403
        createAccount("verify-nobody");
        String nobody = createKey("verify-nobody", "k").json().get("key").asText();
        assertProblem(conforms(post("/v1/verify", "Key " + nobody, "{\"credential\":\"" + key + "\"}")), 403, "forbidden");

        // no credential member: the request breaks the document, the answer still conforms
        Exchange missing = responseConforms(post("/v1/verify", admin(), "{}"));
        assertProblem(missing, 422, "missing_field");
        assertThat(missing.json().get("field").asText()).isEqualTo("credential");
        assertThat(requestReport(missing).hasErrors()).as("the document requires 'credential'").isTrue();
    }

    @Test
    void restrictedKeysConformOnCreationListUpdateAndVerify() {
        createAccount("restricted-target");
        Exchange created = conforms(post("/v1/service-accounts/restricted-target/keys", admin(), "{\"name\":\"r\",\"restrictions\":"
            + "{\"permissions\":[\"db:read\"],\"allowed_ips\":[\"10.0.0.0/8\"],\"rate_limit\":{\"limit\":100,\"period_seconds\":60},"
            + "\"remaining_uses\":1000,\"refill\":{\"amount\":1000,\"interval\":\"day\"}}}"));
        assertThat(created.status).isEqualTo(201);
        String id = created.json().get("id").asText();
        String key = created.json().get("key").asText();
        assertThat(conforms(get("/v1/service-accounts/restricted-target/keys")).json().at("/keys/0/restrictions/rate_limit/limit").asInt())
            .isEqualTo(100);
        Exchange refused = conforms(post("/v1/verify", admin(), "{\"credential\":\"" + key + "\",\"ip\":\"192.0.2.1\"}"));
        assertThat(refused.json().get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
        assertThat(refused.json().at("/restrictions/allowed_ips/0").asText()).isEqualTo("10.0.0.0/8");

        Exchange updated = conforms(send("PATCH", "/v1/service-accounts/restricted-target/keys/" + id, admin(),
            "{\"name\":\"r2\",\"restrictions\":{\"allowed_ips\":null,\"rate_limit\":null}}"));
        assertThat(updated.status).isEqualTo(200);
        assertThat(updated.json().get("restrictions").has("allowed_ips")).isFalse();
        Exchange cleared = conforms(send("PATCH", "/v1/service-accounts/restricted-target/keys/" + id, admin(), "{\"restrictions\":null}"));
        assertThat(cleared.json().has("restrictions")).isFalse();
        assertProblem(conforms(send("PATCH", "/v1/service-accounts/restricted-target/keys/key_nope", admin(), "{\"name\":\"x\"}")),
            404, "key_not_found");
        Exchange bad = responseConforms(send("PATCH", "/v1/service-accounts/restricted-target/keys/" + id, admin(),
            "{\"restrictions\":{\"rate_limit\":{\"limit\":0,\"period_seconds\":60}}}"));
        assertProblem(bad, 422, "invalid_value");

        Exchange mine = conforms(post("/v1/users/admin/keys", admin(), "{\"name\":\"mine-r\",\"restrictions\":{\"permissions\":[\"verify\"]}}"));
        String mineId = mine.json().get("id").asText();
        assertThat(conforms(send("PATCH", "/v1/users/admin/keys/" + mineId, admin(), "{\"description\":\"narrow\"}")).status).isEqualTo(200);
        conforms(send("DELETE", "/v1/users/admin/keys/" + mineId, admin(), null));
    }

    // ---------------------------------------------------------------- service accounts

    @Test
    void forwardAuthConformsForEveryAnswer() {
        createAccount("fwd-target");
        String key = createKey("fwd-target", "k").json().get("key").asText();
        String gateway = server.adminKey();
        Exchange allowed = forwardAuth("/v1/forward-auth?permission=models:read", gateway, "Authorization", "Bearer " + key,
            "X-Forwarded-For", "198.51.100.1");
        assertThat(allowed.status).as(allowed.describe()).isEqualTo(200);
        assertThat(allowed.headers.get("x-servitor-principal-name")).containsExactly("fwd-target");
        assertProblem(forwardAuth("/v1/forward-auth", gateway, "X-Api-Key", "svt_nonsense", "X-Forwarded-For", "198.51.100.2"),
            401, "unauthenticated");
        assertProblem(forwardAuth("/v1/forward-auth", null, "X-Api-Key", key), 401, "unauthenticated");
        assertProblem(forwardAuth("/v1/forward-auth?permission=models:delete", gateway, "X-Api-Key", key), 403, "forbidden");
        assertProblem(forwardAuth("/v1/forward-auth", gateway, "X-Api-Key", key, "X-Real-IP", "nowhere"), 422, "invalid_ip");
    }

    /** A gateway's GET of /v1/forward-auth with its key (none when null) and the original request's {@code headers}, validated. */
    private static Exchange forwardAuth(String pathAndQuery, String gatewayKey, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery)).GET();
        SimpleRequest.Builder described = new SimpleRequest.Builder("GET", URI.create(pathAndQuery).getRawPath());
        URI uri = URI.create(pathAndQuery);
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) described.withQueryParam(pair.substring(0, pair.indexOf('=')),
                URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8));
        }
        if (gatewayKey != null) {
            b.header("Servitor-Gateway-Key", gatewayKey);
            described.withHeader("Servitor-Gateway-Key", gatewayKey);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            if (headers[i].equals("Authorization")) described.withAuthorization(headers[i + 1]);
            else described.withHeader(headers[i], headers[i + 1]);
        }
        TestServer.Response r = server.send(b.build());
        Exchange x = new Exchange("GET", uri.getRawPath(), Map.of(), null, null, null, r.status(), r.header("Content-Type"),
            r.raw().headers().map(), r.body());
        ValidationReport report = gatewayKey == null ? responseReport(x, x.body, x.contentType)
            : validator.validate(described.build(), x.response(x.body, x.contentType));
        assertThat(report.getMessages()).as("%s violates the document:%n%s", x.describe(), report).isEmpty();
        if (x.status / 100 == 2) covered.add("GET /v1/forward-auth");
        return x;
    }

    @Test
    void serviceAccountLifecycleConforms() {
        Exchange created = conforms(post("/v1/service-accounts", admin(),
            "{\"name\":\"sa-life\",\"description\":\"CI\",\"role\":\"viewer\",\"groups\":[],\"network_policy\":null,\"is_org_admin\":false,\"issue_key\":true}"));
        assertThat(created.status).isEqualTo(201);
        assertThat(created.json().at("/key/name").asText()).isEqualTo("default");
        assertThat(created.json().get("network_policy").isNull()).isTrue();

        Exchange again = conforms(post("/v1/service-accounts?if_not_exists=true", admin(), "{\"name\":\"sa-life\"}"));
        assertThat(again.status).isEqualTo(200);
        assertThat(again.json().get("id")).isEqualTo(created.json().get("id"));
        assertThat(again.json().has("key")).isFalse();

        Exchange conflict = conforms(post("/v1/service-accounts", admin(), "{\"name\":\"sa-life\"}"));
        assertProblem(conflict, 409, "service_account_exists");
        assertThat(conflict.json().get("field").asText()).isEqualTo("name");

        assertThat(conforms(get("/v1/service-accounts/sa-life")).json().get("key_count").asInt()).isEqualTo(1);

        Exchange patched = conforms(send("PATCH", "/v1/service-accounts/sa-life", admin(),
            "{\"name\":\"sa-life2\",\"description\":\"renamed\",\"role\":\"contributor\",\"network_policy\":null,\"is_org_admin\":false}"));
        assertThat(patched.status).isEqualTo(200);
        assertThat(patched.json().get("id")).isEqualTo(created.json().get("id"));
        assertThat(patched.json().get("name").asText()).isEqualTo("sa-life2");

        createAccount("sa-other");
        assertProblem(conforms(send("PATCH", "/v1/service-accounts/sa-other", admin(), "{\"name\":\"sa-life2\"}")),
            409, "service_account_exists");

        Exchange disabled = conforms(post("/v1/service-accounts/sa-life2/disable", admin(), null));
        assertThat(disabled.json().get("disabled").asBoolean()).isTrue();
        Exchange enabled = conforms(post("/v1/service-accounts/sa-life2/enable", admin(), "{}"));
        assertThat(enabled.json().get("disabled").asBoolean()).isFalse();

        Exchange deleted = conforms(send("DELETE", "/v1/service-accounts/sa-life2", admin(), null));
        assertThat(deleted.status).isEqualTo(204);
        assertThat(deleted.body).isEmpty();

        assertProblem(conforms(get("/v1/service-accounts/sa-life2")), 404, "service_account_not_found");
        assertProblem(conforms(send("DELETE", "/v1/service-accounts/sa-life2", admin(), null)), 404, "service_account_not_found");
        assertProblem(conforms(post("/v1/service-accounts/sa-life2/disable", admin(), null)), 404, "service_account_not_found");
    }

    @Test
    void listingServiceAccountsConforms() {
        for (String n : List.of("list-a", "list-b", "list-c")) createAccount(n);
        Exchange first = conforms(get("/v1/service-accounts?q=list-&role=user&disabled=false&page_size=2"));
        assertThat(first.json().get("service_accounts")).hasSize(2);
        String token = first.json().get("next_page_token").asText();
        Exchange last = conforms(get("/v1/service-accounts?q=list-&page_size=2&page_token=" + token));
        assertThat(last.json().get("service_accounts")).hasSize(1);
        assertThat(last.json().has("next_page_token")).isFalse();
        assertThat(conforms(get("/v1/service-accounts?group=nothing")).json().get("service_accounts")).isEmpty();
        assertThat(conforms(get("/v1/service-accounts")).status).isEqualTo(200);

        Exchange zero = responseConforms(get("/v1/service-accounts?page_size=0"));
        assertProblem(zero, 422, "invalid_value");
        assertThat(requestReport(zero).hasErrors()).as("page_size has a minimum in the document").isTrue();
        assertThat(conforms(get("/v1/service-accounts?page_size=1000")).status).isEqualTo(200);
        Exchange notANumber = responseConforms(get("/v1/service-accounts?page_size=lots"));
        assertProblem(notANumber, 400, "invalid_type");
        assertThat(requestReport(notANumber).hasErrors()).as("page_size is an integer in the document").isTrue();
        assertProblem(conforms(get("/v1/service-accounts?page_token=%21%21")), 400, "invalid_page_token");
    }

    @Test
    void invalidNamesAndValuesAre422() {
        Exchange badName = responseConforms(post("/v1/service-accounts", admin(), "{\"name\":\"-starts-with-dash\"}"));
        assertProblem(badName, 422, "invalid_name");
        assertThat(badName.json().get("field").asText()).isEqualTo("name");
        assertThat(requestReport(badName).hasErrors()).as("the document carries the name rule").isTrue();

        assertProblem(conforms(post("/v1/service-accounts", admin(), "{\"name\":\"x\",\"role\":\"emperor\"}")), 422, "unknown_role");
        assertProblem(conforms(post("/v1/service-accounts", admin(), "{\"name\":\"x\",\"groups\":[\"g\"]}")), 422, "unknown_group");
        assertProblem(conforms(post("/v1/service-accounts", admin(), "{\"name\":\"x\",\"network_policy\":\"p\"}")), 422, "unknown_network_policy");
    }

    @Test
    void malformedRequestsAre400() {
        Exchange malformed = responseConforms(post("/v1/service-accounts", admin(), "{\"name\":"));
        assertProblem(malformed, 400, "malformed_request");
        assertThat(malformed.json().get("field").asText()).isEqualTo("body");
        assertThat(requestReport(malformed).hasErrors()).isTrue();

        Exchange notAnObject = responseConforms(post("/v1/service-accounts", admin(), "[1,2]"));
        assertProblem(notAnObject, 400, "malformed_request");

        Exchange wrongType = responseConforms(post("/v1/service-accounts", admin(), "{\"name\":42}"));
        assertProblem(wrongType, 400, "invalid_type");
        assertThat(wrongType.json().get("field").asText()).isEqualTo("name");
        assertThat(requestReport(wrongType).hasErrors()).isTrue();

        Exchange unknownField = responseConforms(post("/v1/service-accounts", admin(), "{\"name\":\"x\",\"colour\":\"red\"}"));
        assertProblem(unknownField, 400, "unknown_field");
        assertThat(unknownField.json().get("field").asText()).isEqualTo("colour");
        assertThat(requestReport(unknownField).hasErrors()).as("request bodies are closed in the document").isTrue();

        createAccount("actions");
        Exchange actionWithMember = responseConforms(post("/v1/service-accounts/actions/disable", admin(), "{\"now\":true}"));
        assertProblem(actionWithMember, 400, "unknown_field");
        assertThat(requestReport(actionWithMember).hasErrors()).isTrue();

        Exchange badFlag = responseConforms(post("/v1/service-accounts?if_not_exists=yes", admin(), "{\"name\":\"x\"}"));
        assertProblem(badFlag, 400, "invalid_type");
    }

    @Test
    void oversizedBodiesAre413() {
        String big = "{\"name\":\"big\",\"description\":\"" + "x".repeat(JsonBody.MAX_BYTES) + "\"}";
        Exchange x = responseConforms(post("/v1/service-accounts", admin(), big));
        assertProblem(x, 413, "payload_too_large");
    }

    @Test
    void unauthenticatedCallsAreOneUniform401() {
        List<Exchange> refused = List.of(
            responseConforms(send("GET", "/v1/whoami", null, null)),
            responseConforms(send("GET", "/v1/service-accounts", "Basic YWRtaW46YWRtaW4=", null)),
            responseConforms(send("GET", "/v1/service-accounts", "Token svt_notakey", null)),
            responseConforms(send("POST", "/v1/service-accounts", "Bearer " + server.adminKey().substring(1), "{\"name\":\"x\"}")));
        for (Exchange x : refused) {
            assertProblem(x, 401, "unauthenticated");
            assertThat(x.headers.get("www-authenticate")).isNotEmpty();
            assertThat(x.json().get("detail")).isEqualTo(refused.get(0).json().get("detail"));
        }
        assertThat(requestReport(refused.get(0)).hasErrors()).as("the document requires a credential").isTrue();
    }

    @Test
    void nonAdminsAre403() {
        createAccount("plain");
        String plain = "Bearer " + createKey("plain", "k").json().get("key").asText();
        assertProblem(conforms(send("GET", "/v1/service-accounts", plain, null)), 403, "forbidden");
        assertProblem(conforms(post("/v1/service-accounts/plain/keys", plain, "{\"name\":\"mine\"}")), 403, "forbidden");
        assertProblem(conforms(send("GET", "/v1/audit-events", plain, null)), 403, "forbidden");
        assertProblem(conforms(send("GET", "/v1/audit-events/verify", plain, null)), 403, "forbidden");
        Exchange me = conforms(send("GET", "/v1/whoami", plain, null));
        // the built-in role "user" grants *:read and *:write, nothing of Servitor's own
        assertThat(me.json().get("permissions")).extracting(JsonNode::asText).containsExactly("*:read", "*:write");
        assertThat(me.json().at("/principal/type").asText()).isEqualTo("service_account");
    }

    // ---------------------------------------------------------------- public keys (private_key_jwt)

    @Test
    void publicKeysAndPrivateKeyJwtConform() throws Exception {
        createAccount("pk-sa");
        com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("pk-1").generate();
        Exchange created = conforms(post("/v1/service-accounts/pk-sa/public-keys", admin(), "{\"jwk\":" + key.toPublicJWK().toJSONString() + "}"));
        assertThat(created.status).as(created.describe()).isEqualTo(201);
        assertThat(conforms(get("/v1/service-accounts/pk-sa/public-keys")).json().get("public_keys")).hasSize(1);
        assertThat(conforms(get("/v1/service-accounts/pk-sa/public-keys/pk-1")).status).isEqualTo(200);
        assertProblem(conforms(post("/v1/service-accounts/pk-sa/public-keys", admin(), "{\"jwk\":" + key.toJSONString() + "}")), 422,
            "invalid_value");
        String id = conforms(get("/v1/service-accounts/pk-sa")).json().get("id").asText();
        String endpoint = conforms(get("/.well-known/oauth-authorization-server")).json().get("token_endpoint").asText();
        java.time.Instant now = server.clock().instant();
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
            new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256).keyID("pk-1").build(),
            new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(id).subject(id).audience(endpoint).jwtID("conformance-1")
                .expirationTime(java.util.Date.from(now.plusSeconds(60))).build());
        jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
        Exchange granted = conforms(form("/oauth/token", null, "grant_type=client_credentials&client_assertion_type="
            + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion=" + enc(jwt.serialize())));
        assertThat(granted.status).as(granted.describe()).isEqualTo(200);
        Exchange replayed = conforms(form("/oauth/token", null, "grant_type=client_credentials&client_assertion_type="
            + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion=" + enc(jwt.serialize())));
        assertThat(replayed.status).isEqualTo(401);
        assertThat(conforms(send("DELETE", "/v1/service-accounts/pk-sa/public-keys/pk-1", admin(), null)).status).isEqualTo(204);
        assertProblem(conforms(send("DELETE", "/v1/service-accounts/pk-sa/public-keys/pk-1", admin(), null)), 404, "public_key_not_found");
    }

    // ---------------------------------------------------------------- keys

    @Test
    void serviceAccountKeysConform() {
        createAccount("keys-sa");
        Exchange created = createKey("keys-sa", "deploy");
        assertThat(created.json().get("expires_at").isNull()).isTrue();
        String keyId = created.json().get("id").asText();

        Exchange motherDuck = conforms(post("/v1/service-accounts/keys-sa/keys", admin(),
            "{\"name\":\"md\",\"token_type\":\"read_scaling\",\"ttl\":\"300\"}"));
        assertThat(motherDuck.status).isEqualTo(201);
        assertThat(motherDuck.json().get("type").asText()).isEqualTo("read_scaling");
        assertThat(motherDuck.json().get("expires_at").isNull()).isFalse();
        conforms(post("/v1/service-accounts/keys-sa/keys", admin(), "{\"name\":\"md2\",\"ttl\":600,\"description\":\"d\"}"));
        conforms(post("/v1/service-accounts/keys-sa/keys", admin(), "{\"name\":\"days\",\"type\":\"read_write\",\"expires_in_days\":30}"));
        conforms(post("/v1/service-accounts/keys-sa/keys", admin(), "{\"name\":\"secs\",\"ttl_seconds\":3600}"));

        // use one so that last_used_* may be filled
        conforms(send("GET", "/v1/whoami", "Bearer " + created.json().get("key").asText(), null));

        Exchange list = conforms(get("/v1/service-accounts/keys-sa/keys"));
        assertThat(list.json().get("keys")).hasSize(5);
        assertThat(list.body).doesNotContain(created.json().get("key").asText());

        Exchange rotated = conforms(post("/v1/service-accounts/keys-sa/keys/" + keyId + "/rotate", admin(), "{\"grace_seconds\":60}"));
        assertThat(rotated.status).isEqualTo(201);
        assertThat(rotated.json().get("name").asText()).isEqualTo("deploy");
        Exchange rotatedNoBody = conforms(post("/v1/service-accounts/keys-sa/keys/" + rotated.json().get("id").asText() + "/rotate", admin(), null));
        assertThat(rotatedNoBody.status).isEqualTo(201);

        assertThat(conforms(send("DELETE", "/v1/service-accounts/keys-sa/keys/" + rotatedNoBody.json().get("id").asText(), admin(), null)).status)
            .isEqualTo(204);
        assertProblem(conforms(send("DELETE", "/v1/service-accounts/keys-sa/keys/key_nope", admin(), null)), 404, "key_not_found");
        assertProblem(conforms(post("/v1/service-accounts/keys-sa/keys/key_nope/rotate", admin(), null)), 404, "key_not_found");
        assertProblem(conforms(get("/v1/service-accounts/nobody/keys")), 404, "service_account_not_found");

        // rules the document cannot express: both a name and its alias, both a TTL and days
        assertProblem(conforms(post("/v1/service-accounts/keys-sa/keys", admin(), "{\"name\":\"x\",\"type\":\"read_write\",\"token_type\":\"read_write\"}")),
            422, "invalid_value");
        assertProblem(conforms(post("/v1/service-accounts/keys-sa/keys", admin(), "{\"name\":\"x\",\"ttl_seconds\":60,\"expires_in_days\":1}")),
            422, "invalid_value");
        Exchange outOfRange = responseConforms(post("/v1/service-accounts/keys-sa/keys", admin(), "{\"name\":\"x\",\"ttl_seconds\":0}"));
        assertProblem(outOfRange, 422, "invalid_value");
        assertThat(requestReport(outOfRange).hasErrors()).as("the document carries the TTL range").isTrue();
        Exchange badGrace = responseConforms(post("/v1/service-accounts/keys-sa/keys/" + list.json().at("/keys/1/id").asText() + "/rotate",
            admin(), "{\"grace_seconds\":-1}"));
        assertProblem(badGrace, 422, "invalid_value");
        Exchange noName = responseConforms(post("/v1/service-accounts/keys-sa/keys", admin(), "{}"));
        assertProblem(noName, 422, "missing_field");
        Exchange blankName = responseConforms(post("/v1/service-accounts/keys-sa/keys", admin(), "{\"name\":\"\"}"));
        assertProblem(blankName, 422, "invalid_name");
        Exchange digitsOnly = responseConforms(post("/v1/service-accounts/keys-sa/keys", admin(), "{\"name\":\"x\",\"ttl\":\"5m\"}"));
        assertProblem(digitsOnly, 400, "invalid_type");
        assertThat(requestReport(digitsOnly).hasErrors()).isTrue();
    }

    @Test
    void userKeysConformAndTheLimitIs409() {
        String admin = admin();
        int live = conforms(get("/v1/users/admin/keys")).json().get("keys").size();
        List<String> minted = new ArrayList<>();
        for (int i = live; i < 5; i++) {
            Exchange k = conforms(post("/v1/users/admin/keys", admin, "{\"name\":\"personal-" + i + "\"}"));
            assertThat(k.status).isEqualTo(201);
            minted.add(k.json().get("id").asText());
        }
        Exchange full = conforms(post("/v1/users/admin/keys", admin, "{\"name\":\"one-too-many\"}"));
        assertProblem(full, 409, "key_limit_reached");

        Exchange rotated = conforms(post("/v1/users/admin/keys/" + minted.get(0) + "/rotate", admin, "{}"));
        assertThat(rotated.status).isEqualTo(201);
        minted.set(0, rotated.json().get("id").asText());
        assertThat(conforms(get("/v1/users/admin/keys")).json().get("keys")).hasSize(5);
        for (String id : minted) {
            assertThat(conforms(send("DELETE", "/v1/users/admin/keys/" + id, admin, null)).status).isEqualTo(204);
        }
        assertProblem(conforms(get("/v1/users/nobody/keys")), 404, "user_not_found");
    }

    // ---------------------------------------------------------------- workload identity federation

    @Test
    void federationConforms() {
        com.nimbusds.jose.jwk.RSAKey key = dev.servitor.testing.TestOidcIssuer.rsa();
        String jwks = new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString();
        Exchange issuer = conforms(post("/v1/federation/issuers", admin(),
            "{\"name\":\"ci\",\"issuer_url\":\"https://ci.example\",\"jwks\":" + jwks + ",\"require_jti\":true}"));
        assertThat(issuer.status).isEqualTo(201);
        assertProblem(conforms(post("/v1/federation/issuers", admin(), "{\"name\":\"ci\",\"issuer_url\":\"https://ci.example\"}")),
            409, "issuer_exists");
        assertThat(conforms(get("/v1/federation/issuers")).json().get("issuers")).isNotEmpty();
        assertThat(conforms(get("/v1/federation/issuers/ci")).json().get("require_jti").asBoolean()).isTrue();
        assertThat(conforms(send("PATCH", "/v1/federation/issuers/ci", admin(), "{\"max_token_age_seconds\":600}")).status).isEqualTo(200);
        assertProblem(conforms(get("/v1/federation/issuers/nope")), 404, "issuer_not_found");
        String id = server.createServiceAccount("workload").get("id").asText();
        String base = "/v1/service-accounts/workload/federated-credentials";
        assertThat(conforms(post(base, admin(), "{\"name\":\"main\",\"issuer\":\"ci\",\"audience\":\"deploy\","
            + "\"subject\":\"repo:acme/app:ref:refs/heads/main\",\"claims\":{\"ref\":\"refs/heads/main\"},"
            + "\"condition\":\"claims.repository_owner == 'acme'\"}")).status).isEqualTo(201);
        assertProblem(conforms(post(base, admin(), "{\"name\":\"bad\",\"issuer\":\"ci\",\"audience\":\"deploy\",\"condition\":\"claims.\"}")),
            422, "invalid_value");
        assertThat(conforms(get(base)).json().get("federated_credentials")).hasSize(1);
        assertThat(conforms(get(base + "/main")).json().get("last_used_at").isNull()).isTrue();
        assertThat(conforms(send("PATCH", base + "/main", admin(), "{\"token_lifetime_seconds\":600}")).status).isEqualTo(200);

        java.time.Instant now = server.clock().instant();
        String token = dev.servitor.testing.TestOidcIssuer.sign(new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("https://ci.example")
            .subject("repo:acme/app:ref:refs/heads/main").audience("deploy").claim("ref", "refs/heads/main").claim("repository_owner", "acme")
            .issueTime(java.util.Date.from(now)).expirationTime(java.util.Date.from(now.plusSeconds(300))).jwtID("run-1").build(), key);
        Exchange exchanged = conforms(form("/oauth/token", null, "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
            + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:jwt") + "&subject_token=" + enc(token) + "&client_id=" + id));
        assertThat(exchanged.status).isEqualTo(200);
        assertThat(exchanged.json().get("expires_in").asLong()).isEqualTo(600);
        String accessToken = exchanged.json().get("access_token").asText();
        assertThat(conforms(send("GET", "/v1/whoami", "Bearer " + accessToken, null)).json().get("credential").get("federation")
            .get("credential").asText()).isEqualTo("main");
        Exchange replayed = conforms(form("/oauth/token", null, "grant_type=" + enc("urn:ietf:params:oauth:grant-type:jwt-bearer")
            + "&assertion=" + enc(token) + "&client_id=" + id));
        assertThat(replayed.status).isEqualTo(400);
        assertThat(replayed.json().get("error").asText()).isEqualTo("invalid_grant");

        assertProblem(conforms(send("DELETE", "/v1/federation/issuers/ci", admin(), null)), 409, "issuer_in_use");
        assertThat(conforms(send("DELETE", base + "/main", admin(), null)).status).isEqualTo(204);
        assertThat(conforms(send("DELETE", "/v1/federation/issuers/ci", admin(), null)).status).isEqualTo(204);
    }

    // ---------------------------------------------------------------- network policies and compute

    @Test
    void networkPoliciesConform() {
        Exchange created = conforms(post("/v1/network-policies", admin(),
            "{\"name\":\"office\",\"description\":\"HQ\",\"allowed_ips\":[\"203.0.113.0/24\",\"2001:db8::/32\"],\"blocked_ips\":[]}"));
        assertThat(created.status).isEqualTo(201);
        assertProblem(conforms(post("/v1/network-policies", admin(), "{\"name\":\"office\"}")), 409, "network_policy_exists");
        Exchange badIp = conforms(post("/v1/network-policies", admin(), "{\"name\":\"bad\",\"blocked_ips\":[\"10.0.0.0/33\"]}"));
        assertProblem(badIp, 422, "invalid_ip");
        assertThat(badIp.json().get("field").asText()).isEqualTo("blocked_ips[0]");
        assertThat(conforms(get("/v1/network-policies?page_size=10")).json().get("network_policies")).isNotEmpty();
        assertThat(conforms(get("/v1/network-policies/office")).json().get("name").asText()).isEqualTo("office");
        Exchange patched = conforms(send("PATCH", "/v1/network-policies/office", admin(), "{\"blocked_ips\":[\"203.0.113.66\"],\"allowed_ips\":null}"));
        assertThat(patched.json().get("allowed_ips")).isEmpty();
        createAccount("guarded");
        conforms(send("PATCH", "/v1/service-accounts/guarded", admin(), "{\"network_policy\":\"office\"}"));
        assertProblem(conforms(send("DELETE", "/v1/network-policies/office", admin(), null)), 409, "policy_in_use");
        conforms(send("DELETE", "/v1/service-accounts/guarded", admin(), null));
        assertThat(conforms(send("DELETE", "/v1/network-policies/office", admin(), null)).status).isEqualTo(204);
        assertProblem(conforms(get("/v1/network-policies/office")), 404, "network_policy_not_found");
    }

    @Test
    void instancesConform() {
        createAccount("duckling");
        Exchange defaults = conforms(get("/v1/service-accounts/duckling/instances"));
        assertThat(defaults.json().at("/config/read_scaling/flock_size").asInt()).isEqualTo(1);
        Exchange put = conforms(send("PUT", "/v1/service-accounts/duckling/instances", admin(),
            "{\"config\":{\"read_write\":{\"instance_size\":\"jumbo\"},\"read_scaling\":{\"instance_size\":\"pulse\",\"flock_size\":16}}}"));
        assertThat(put.status).isEqualTo(200);
        assertThat(conforms(get("/v1/service-accounts/duckling/instances")).json()).isEqualTo(put.json());
        Exchange partial = responseConforms(send("PUT", "/v1/service-accounts/duckling/instances", admin(),
            "{\"config\":{\"read_write\":{\"instance_size\":\"jumbo\"}}}"));
        assertProblem(partial, 422, "missing_field");
        assertThat(requestReport(partial).hasErrors()).as("the document requires the whole body").isTrue();
        Exchange flock = responseConforms(send("PUT", "/v1/service-accounts/duckling/instances", admin(),
            "{\"config\":{\"read_write\":{\"instance_size\":\"jumbo\"},\"read_scaling\":{\"instance_size\":\"pulse\",\"flock_size\":17}}}"));
        assertProblem(flock, 422, "invalid_value");
        assertProblem(conforms(send("PUT", "/v1/service-accounts/duckling/instances", admin(),
            "{\"config\":{\"read_write\":{\"instance_size\":\"colossal\"},\"read_scaling\":{\"instance_size\":\"pulse\",\"flock_size\":1}}}")),
            422, "invalid_value");
        assertProblem(conforms(get("/v1/service-accounts/nobody/instances")), 404, "service_account_not_found");
    }

    // ---------------------------------------------------------------- audit

    @Test
    void auditEventsConform() {
        createAccount("audited");
        createKey("audited", "k");
        String since = server.clock().instant().minus(Duration.ofHours(1)).toString();
        String until = server.clock().instant().plus(Duration.ofHours(1)).toString();

        Exchange all = conforms(get("/v1/audit-events"));
        assertThat(all.json().get("audit_events").size()).isGreaterThan(2);
        Exchange page = conforms(get("/v1/audit-events?page_size=1"));
        assertThat(page.json().get("audit_events")).hasSize(1);
        Exchange next = conforms(get("/v1/audit-events?page_size=1&page_token=" + page.json().get("next_page_token").asText()));
        assertThat(next.json().at("/audit_events/0/id")).isNotEqualTo(page.json().at("/audit_events/0/id"));

        Exchange filtered = conforms(get("/v1/audit-events?actor=admin%40localhost&action=key.create&target=service_account%3Aaudited"
            + "&since=" + enc(since) + "&until=" + enc(until)));
        assertThat(filtered.json().get("audit_events")).hasSize(1);
        assertThat(filtered.json().at("/audit_events/0/details/name").asText()).isEqualTo("k");

        Exchange badTime = responseConforms(get("/v1/audit-events?since=yesterday"));
        assertProblem(badTime, 400, "invalid_type");
        assertThat(requestReport(badTime).hasErrors()).as("since is a date-time in the document").isTrue();

        Exchange chain = conforms(get("/v1/audit-events/verify"));
        assertThat(chain.json().get("intact").asBoolean()).isTrue();
        assertThat(chain.json().get("events_checked").asLong()).isGreaterThan(2);
    }

    // ---------------------------------------------------------------- OAuth 2.0 and impersonation

    @Test
    void clientSecretsConform() {
        createAccount("oauth-secret");
        Exchange first = conforms(post("/v1/service-accounts/oauth-secret/secret", admin(), null));
        assertThat(first.status).isEqualTo(201);
        assertThat(first.json().get("client_id").asText()).isEqualTo(conforms(get("/v1/service-accounts/oauth-secret")).json().get("id").asText());
        assertThat(first.json().get("client_secret").asText()).startsWith("svs_");
        Exchange second = conforms(post("/v1/service-accounts/oauth-secret/secret", admin(), "{\"grace_seconds\":60}"));
        assertThat(second.status).isEqualTo(201);
        assertThat(conforms(post("/v1/service-accounts/oauth-secret/secret", admin(), "{}")).status).isEqualTo(201);

        Exchange badGrace = responseConforms(post("/v1/service-accounts/oauth-secret/secret", admin(), "{\"grace_seconds\":-1}"));
        assertProblem(badGrace, 422, "invalid_value");
        assertThat(requestReport(badGrace).hasErrors()).as("the document carries the grace range").isTrue();
        Exchange unknown = responseConforms(post("/v1/service-accounts/oauth-secret/secret", admin(), "{\"secret\":\"mine\"}"));
        assertProblem(unknown, 400, "unknown_field");
        assertThat(requestReport(unknown).hasErrors()).isTrue();
        assertProblem(conforms(post("/v1/service-accounts/ghost/secret", admin(), null)), 404, "service_account_not_found");
        String plain = "Bearer " + createKey("oauth-secret", "k").json().get("key").asText();
        assertProblem(conforms(post("/v1/service-accounts/oauth-secret/secret", plain, null)), 403, "forbidden");
    }

    @Test
    void tokenEndpointConforms() {
        createAccount("oauth-client");
        JsonNode c = conforms(post("/v1/service-accounts/oauth-client/secret", admin(), null)).json();
        String id = c.get("client_id").asText();
        String secret = c.get("client_secret").asText();

        Exchange byBasic = conforms(form("/oauth/token", basic(id, secret), "grant_type=client_credentials"));
        assertThat(byBasic.status).as(byBasic.describe()).isEqualTo(200);
        assertThat(byBasic.headers.get("cache-control")).containsExactly("no-store");
        assertThat(byBasic.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(byBasic.json().get("expires_in").asLong()).isEqualTo(86_400);
        Exchange byPost = conforms(form("/oauth/token", null, "grant_type=client_credentials&client_id=" + enc(id)
            + "&client_secret=" + enc(secret) + "&audience=" + enc("https://api.example.com")));
        assertThat(byPost.status).as(byPost.describe()).isEqualTo(200);

        // the token works on /v1 and whoami tells what it is
        Exchange me = conforms(send("GET", "/v1/whoami", "Bearer " + byPost.json().get("access_token").asText(), null));
        assertThat(me.json().at("/principal/id").asText()).isEqualTo(id);
        assertThat(me.json().at("/credential/kind").asText()).isEqualTo("access_token");
        assertThat(me.json().at("/credential/type").isNull()).isTrue();

        // RFC 6749 errors: JSON, not problem documents
        Exchange wrong = conforms(form("/oauth/token", basic(id, secret + "x"), "grant_type=client_credentials"));
        assertOAuthError(wrong, 401, "invalid_client");
        assertThat(wrong.headers.get("www-authenticate").get(0)).startsWith("Basic");
        Exchange wrongPost = conforms(form("/oauth/token", null, "grant_type=client_credentials&client_id=" + enc(id) + "&client_secret=nope"));
        assertOAuthError(wrongPost, 401, "invalid_client");
        assertThat(wrongPost.body).isEqualTo(wrong.body);
        SimpleResponse.Builder noChallenge = SimpleResponse.Builder.status(401).withContentType(wrong.contentType).withBody(wrong.body)
            .withHeader("Cache-Control", "no-store").withHeader("X-Request-Id", wrong.headers.get("x-request-id"));
        assertThat(validator.validateResponse("/oauth/token", Request.Method.POST, noChallenge.build()).hasErrors())
            .as("an invalid_client without WWW-Authenticate").isTrue();
        assertThat(responseReport(wrong, wrong.body, "application/problem+json").hasErrors())
            .as("an OAuth error as a problem document").isTrue();
        SimpleResponse.Builder cacheable = SimpleResponse.Builder.status(200).withContentType(byBasic.contentType).withBody(byBasic.body);
        assertThat(validator.validateResponse("/oauth/token", Request.Method.POST, cacheable.build()).hasErrors())
            .as("a token answer without Cache-Control: no-store").isTrue();
        Exchange noClient = conforms(form("/oauth/token", null, "grant_type=client_credentials"));
        assertOAuthError(noClient, 401, "invalid_client");

        Exchange password = responseConforms(form("/oauth/token", basic(id, secret), "grant_type=password&username=a&password=b"));
        assertOAuthError(password, 400, "unsupported_grant_type");
        assertThat(requestReport(password).hasErrors()).as("the document lists the grant types").isTrue();
        Exchange noGrant = responseConforms(form("/oauth/token", basic(id, secret), "audience=x"));
        assertOAuthError(noGrant, 400, "invalid_request");
        assertThat(requestReport(noGrant).hasErrors()).as("grant_type is required").isTrue();
        Exchange scope = conforms(form("/oauth/token", basic(id, secret), "grant_type=client_credentials&scope=org_admin"));
        assertOAuthError(scope, 400, "invalid_scope");
        Exchange json = responseConforms(send("POST", "/oauth/token", basic(id, secret), "{\"grant_type\":\"client_credentials\"}"));
        assertOAuthError(json, 400, "invalid_request");
        assertThat(requestReport(json).hasErrors()).as("the token endpoint takes a form").isTrue();
    }

    @Test
    void impersonationConformsByApiAndByTokenExchange() {
        createAccount("oauth-imp");
        String clientId = conforms(get("/v1/service-accounts/oauth-imp")).json().get("id").asText();

        Exchange byApi = conforms(post("/v1/service-accounts/oauth-imp/impersonate", admin(), null));
        assertThat(byApi.status).isEqualTo(200);
        assertThat(byApi.json().get("expires_in").asLong()).isEqualTo(7_200);
        assertThat(byApi.headers.get("cache-control")).containsExactly("no-store");
        assertThat(conforms(post("/v1/service-accounts/oauth-imp/impersonate", admin(), "{}")).status).isEqualTo(200);
        Exchange acting = conforms(send("GET", "/v1/whoami", "Bearer " + byApi.json().get("access_token").asText(), null));
        assertThat(acting.json().at("/principal/id").asText()).isEqualTo(clientId);
        assertThat(acting.json().at("/actor/name").asText()).isEqualTo("admin");

        String exchange = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
            + "&subject_token=" + enc(clientId) + "&subject_token_type=" + enc(OAuthRoutes.SERVICE_ACCOUNT_TOKEN_TYPE)
            + "&actor_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token") + "&actor_token=";
        Exchange exchanged = conforms(form("/oauth/token", null, exchange + enc(server.adminKey())));
        assertThat(exchanged.status).as(exchanged.describe()).isEqualTo(200);
        assertThat(exchanged.json().get("expires_in").asLong()).isEqualTo(7_200);

        String plainKey = createKey("oauth-imp", "k").json().get("key").asText();
        assertOAuthError(conforms(form("/oauth/token", null, exchange + enc(plainKey))), 403, "access_denied");
        assertOAuthError(conforms(form("/oauth/token", null, exchange + "svt_notakey")), 400, "invalid_grant");
        assertProblem(conforms(post("/v1/service-accounts/oauth-imp/impersonate", "Bearer " + plainKey, null)), 403, "forbidden");
        assertProblem(conforms(post("/v1/service-accounts/ghost/impersonate", admin(), null)), 404, "service_account_not_found");
        createAccount("oauth-imp-off");
        String offId = conforms(post("/v1/service-accounts/oauth-imp-off/disable", admin(), null)).json().get("id").asText();
        assertProblem(conforms(post("/v1/service-accounts/oauth-imp-off/impersonate", admin(), null)), 403, "forbidden");
        // a disabled subject: today a problem document (see the document), an RFC 6749 error would conform as well
        Exchange disabledSubject = conforms(form("/oauth/token", null, exchange.replace(enc(clientId), enc(offId)) + enc(server.adminKey())));
        assertThat(disabledSubject.status).as(disabledSubject.describe()).isIn(400, 403);
        Exchange withMember = responseConforms(post("/v1/service-accounts/oauth-imp/impersonate", admin(), "{\"hours\":1}"));
        assertProblem(withMember, 400, "unknown_field");
        assertThat(requestReport(withMember).hasErrors()).isTrue();
    }

    @Test
    void introspectionAndRevocationConform() {
        createAccount("oauth-intro");
        JsonNode c = conforms(post("/v1/service-accounts/oauth-intro/secret", admin(), null)).json();
        String id = c.get("client_id").asText();
        String client = basic(id, c.get("client_secret").asText());
        String token = conforms(form("/oauth/token", client, "grant_type=client_credentials&audience=aud1")).json().get("access_token").asText();

        Exchange byAdmin = conforms(form("/oauth/introspect", admin(), "token=" + enc(token)));
        assertThat(byAdmin.status).as(byAdmin.describe()).isEqualTo(200);
        assertThat(byAdmin.headers.get("cache-control")).containsExactly("no-store");
        JsonNode active = byAdmin.json();
        assertThat(active.get("active").asBoolean()).isTrue();
        assertThat(active.get("sub").asText()).isEqualTo(id);
        assertThat(active.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(active.get("aud").get(0).asText()).isEqualTo("aud1");
        assertThat(active.has("act")).isFalse();
        Exchange withHint = conforms(form("/oauth/introspect", admin(), "token=" + enc(token) + "&token_type_hint=access_token"));
        assertThat(withHint.json().get("active").asBoolean()).isTrue();
        // the Token and Key schemes of /v1 work here as they do everywhere
        assertThat(conforms(form("/oauth/introspect", "Key " + server.adminKey(), "token=" + enc(token))).json().get("active").asBoolean()).isTrue();
        assertThat(conforms(form("/oauth/introspect", "Token " + server.adminKey(), "token=" + enc(token))).json().get("active").asBoolean()).isTrue();
        Exchange own = conforms(form("/oauth/introspect", client, "token=" + enc(token)));
        assertThat(own.json().get("active").asBoolean()).isTrue();
        Exchange ownByPost = conforms(form("/oauth/introspect", null, "token=" + enc(token) + "&client_id=" + enc(id)
            + "&client_secret=" + enc(c.get("client_secret").asText())));
        assertThat(ownByPost.json().get("active").asBoolean()).isTrue();

        String impersonation = conforms(post("/v1/service-accounts/oauth-intro/impersonate", admin(), null)).json().get("access_token").asText();
        JsonNode acted = conforms(form("/oauth/introspect", admin(), "token=" + enc(impersonation))).json();
        assertThat(acted.at("/act/email").asText()).isEqualTo("admin@localhost");
        String key = createKey("oauth-intro", "k").json().get("key").asText();
        JsonNode ofKey = conforms(form("/oauth/introspect", admin(), "token=" + enc(key))).json();
        assertThat(ofKey.get("token_type").asText()).isEqualTo("api_key");
        assertThat(ofKey.has("exp")).isFalse();
        Exchange inactive = conforms(form("/oauth/introspect", admin(), "token=nonsense"));
        assertThat(inactive.json().get("active").asBoolean()).isFalse();
        assertThat(inactive.json().size()).isEqualTo(1);

        Exchange anonymous = conforms(form("/oauth/introspect", null, "token=" + enc(token)));
        assertOAuthError(anonymous, 401, "invalid_client");
        assertThat(anonymous.headers.get("www-authenticate").get(0)).startsWith("Basic");
        assertOAuthError(conforms(form("/oauth/introspect", "Bearer svt_notakey", "token=" + enc(token))), 401, "invalid_client");
        Exchange noToken = responseConforms(form("/oauth/introspect", admin(), "token_type_hint=access_token"));
        assertOAuthError(noToken, 400, "invalid_request");
        assertThat(requestReport(noToken).hasErrors()).as("token is required").isTrue();

        Exchange revoked = conforms(form("/oauth/revoke", client, "token=" + enc(token)));
        assertThat(revoked.status).as(revoked.describe()).isEqualTo(200);
        assertThat(revoked.body).isEmpty();
        assertThat(conforms(form("/oauth/introspect", admin(), "token=" + enc(token))).json().get("active").asBoolean()).isFalse();
        // with a Bearer credential the revocation request parser also wants a client_id parameter (see the document)
        Exchange byAdminRevoke = conforms(form("/oauth/revoke", admin(), "token=" + enc(impersonation) + "&client_id=admin"));
        assertThat(byAdminRevoke.status).as(byAdminRevoke.describe()).isEqualTo(200);
        assertThat(conforms(form("/oauth/introspect", admin(), "token=" + enc(impersonation))).json().get("active").asBoolean()).isFalse();
        assertThat(conforms(form("/oauth/revoke", client, "token=nonsense")).status).as("nothing to say about unknown tokens").isEqualTo(200);
        assertOAuthError(conforms(form("/oauth/revoke", null, "token=" + enc(token) + "&client_id=" + enc(id))), 401, "invalid_client");
        Exchange anonymousRevoke = conforms(form("/oauth/revoke", null, "token=" + enc(token)));
        assertThat(anonymousRevoke.status).as(anonymousRevoke.describe()).isIn(400, 401);
        assertThat(anonymousRevoke.json().get("error").asText()).isIn("invalid_request", "invalid_client");
    }

    @Test
    void discoveryConforms() throws IOException {
        Exchange meta = conforms(send("GET", "/.well-known/oauth-authorization-server", null, null));
        assertThat(meta.status).isEqualTo(200);
        assertThat(meta.json().get("issuer").asText()).isEqualTo(server.url());
        assertThat(meta.json().get("jwks_uri").asText()).isEqualTo(server.url() + "/.well-known/jwks.json");
        Exchange jwks = conforms(send("GET", "/.well-known/jwks.json", null, null));
        assertThat(jwks.status).isEqualTo(200);
        assertThat(jwks.contentType).startsWith("application/json");
        JsonNode key = jwks.json().at("/keys/0");
        assertThat(key.get("kty").asText()).isEqualTo("EC");
        assertThat(key.has("d")).as("never the private part").isFalse();

        ObjectNode privateLeak = (ObjectNode) jwks.json().deepCopy();
        ((ObjectNode) privateLeak.at("/keys/0")).put("d", "secret");
        assertThat(responseReport(jwks, JSON.writeValueAsString(privateLeak), jwks.contentType).hasErrors())
            .as("a private key member is not in the document").isTrue();
    }

    // ---------------------------------------------------------------- the validator is live

    @Test
    void theValidatorCatchesDrift() throws IOException {
        createAccount("drift");
        Exchange real = conforms(get("/v1/service-accounts/drift"));
        ObjectNode body = (ObjectNode) real.json();

        ObjectNode missingId = body.deepCopy();
        missingId.remove("id");
        assertThat(responseReport(real, JSON.writeValueAsString(missingId), real.contentType).hasErrors())
            .as("a response without a required member").isTrue();

        ObjectNode wrongTime = body.deepCopy();
        wrongTime.put("created_at", "yesterday");
        assertThat(responseReport(real, JSON.writeValueAsString(wrongTime), real.contentType).hasErrors())
            .as("a timestamp that is not a date-time").isTrue();

        ObjectNode nullName = body.deepCopy();
        nullName.putNull("name");
        assertThat(responseReport(real, JSON.writeValueAsString(nullName), real.contentType).hasErrors())
            .as("null where the document does not allow it").isTrue();

        ObjectNode extra = body.deepCopy();
        extra.put("surprise", 1);
        assertThat(responseReport(real, JSON.writeValueAsString(extra), real.contentType).hasErrors())
            .as("a member the document does not describe").isTrue();

        ObjectNode wrongType = body.deepCopy();
        wrongType.put("key_count", "one");
        assertThat(responseReport(real, JSON.writeValueAsString(wrongType), real.contentType).hasErrors())
            .as("a member of the wrong type").isTrue();

        assertThat(validator.validateResponse("/v1/service-accounts/drift", Request.Method.GET,
            SimpleResponse.Builder.status(418).withContentType("application/json").withBody("{}").build()).hasErrors())
            .as("a status the document does not name").isTrue();

        Exchange unauthenticated = responseConforms(send("GET", "/v1/whoami", null, null));
        SimpleResponse.Builder noChallenge = SimpleResponse.Builder.status(401).withContentType(unauthenticated.contentType)
            .withBody(unauthenticated.body).withHeader("X-Request-Id", unauthenticated.headers.get("x-request-id"));
        assertThat(validator.validateResponse("/v1/whoami", Request.Method.GET, noChallenge.build()).hasErrors())
            .as("a 401 without WWW-Authenticate").isTrue();

        Exchange problem = conforms(get("/v1/service-accounts/nothing-here"));
        assertThat(responseReport(problem, problem.body, "application/json").hasErrors())
            .as("a problem document under the wrong media type").isTrue();
    }

    @Test
    void leakReportsConform() {
        assertThat(conforms(post("/v1/leaks/report", null, "{\"credential\":\"svt_nothing\",\"url\":\"https://example.com/x\"}")).status)
            .isEqualTo(202);
        assertThat(responseConforms(post("/v1/leaks/report", null, "{\"url\":\"https://example.com/x\"}")).status).isEqualTo(422);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyOperationOfTheDocumentWasAnsweredSuccessfully() {
        Set<String> operations = new TreeSet<>();
        spec.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (OPERATIONS.contains(m)) operations.add(m.toUpperCase() + " " + p.getKey());
        }));
        assertThat(operations).hasSizeGreaterThanOrEqualTo(30);
        assertThat(new TreeSet<>(covered)).containsExactlyElementsOf(operations);
    }

    // ---------------------------------------------------------------- helpers

    private record Exchange(String method, String path, Map<String, List<String>> query, String authorization,
                            String requestBody, String requestContentType, int status, String contentType, Map<String, List<String>> headers,
                            String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        SimpleRequest request() {
            SimpleRequest.Builder b = new SimpleRequest.Builder(method, path);
            query.forEach(b::withQueryParam);
            if (authorization != null) b.withAuthorization(authorization);
            if (requestBody != null) b.withContentType(requestContentType).withBody(requestBody);
            return b.build();
        }

        SimpleResponse response(String withBody, String withContentType) {
            SimpleResponse.Builder b = SimpleResponse.Builder.status(status);
            headers.forEach((name, values) -> {
                if (!name.equalsIgnoreCase("content-type")) b.withHeader(name, values);
            });
            if (withContentType != null) b.withContentType(withContentType);
            if (withBody != null && !withBody.isEmpty()) b.withBody(withBody);
            return b.build();
        }

        String describe() {
            return method + " " + path + (query.isEmpty() ? "" : " " + query) + " -> " + status + " " + contentType + " " + body;
        }
    }

    private static String admin() {
        return "Bearer " + server.adminKey();
    }

    private static Exchange get(String pathAndQuery) {
        return send("GET", pathAndQuery, admin(), null);
    }

    private static Exchange post(String pathAndQuery, String authorization, String body) {
        return send("POST", pathAndQuery, authorization, body);
    }

    private static Exchange send(String method, String pathAndQuery, String authorization, String body) {
        return send(method, pathAndQuery, authorization, body, "application/json");
    }

    /** A POST of an {@code application/x-www-form-urlencoded} body, as the /oauth endpoints take. */
    private static Exchange form(String path, String authorization, String body) {
        return send("POST", path, authorization, body, "application/x-www-form-urlencoded");
    }

    private static Exchange send(String method, String pathAndQuery, String authorization, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        if (body != null) b.header("Content-Type", contentType);
        TestServer.Response r = server.send(b.build());
        URI uri = URI.create(pathAndQuery);
        Map<String, List<String>> query = new java.util.LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new Exchange(method, uri.getRawPath(), query, authorization, body, contentType, r.status(), r.header("Content-Type"),
            r.raw().headers().map(), r.body());
    }

    /** Validates request and answer against the document; records the operation when 2xx. */
    private static Exchange conforms(Exchange x) {
        ValidationReport report = validator.validate(x.request(), x.response(x.body, x.contentType));
        assertThat(report.getMessages()).as("%s violates the document:%n%s", x.describe(), report).isEmpty();
        if (x.status / 100 == 2) covered.add(x.method + " " + template(x.path));
        return x;
    }

    /** Validates only the answer: for requests that deliberately break the document. */
    private static Exchange responseConforms(Exchange x) {
        ValidationReport report = responseReport(x, x.body, x.contentType);
        assertThat(report.getMessages()).as("%s: the answer violates the document:%n%s", x.describe(), report).isEmpty();
        return x;
    }

    private static ValidationReport requestReport(Exchange x) {
        return validator.validateRequest(x.request());
    }

    private static ValidationReport responseReport(Exchange x, String body, String contentType) {
        return validator.validateResponse(x.path, Request.Method.valueOf(x.method), x.response(body, contentType));
    }

    private static void assertProblem(Exchange x, int status, String code) {
        assertThat(x.status).as(x.describe()).isEqualTo(status);
        assertThat(x.contentType).as(x.describe()).startsWith("application/problem+json");
        JsonNode p = x.json();
        assertThat(p.get("code").asText()).as(x.describe()).isEqualTo(code);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).isEqualTo("https://servitor.dev/problems/" + code);
        assertThat(p.get("request_id").asText()).isEqualTo(x.headers.get("x-request-id").get(0));
    }

    private static void createAccount(String name) {
        assertThat(conforms(post("/v1/service-accounts", admin(), "{\"name\":\"" + name + "\"}")).status).isEqualTo(201);
    }

    private static Exchange createKey(String account, String keyName) {
        Exchange x = conforms(post("/v1/service-accounts/" + account + "/keys", admin(), "{\"name\":\"" + keyName + "\"}"));
        assertThat(x.status).as(x.describe()).isEqualTo(201);
        return x;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String basic(String clientId, String clientSecret) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(clientSecret)).getBytes(StandardCharsets.UTF_8));
    }

    /** An RFC 6749 error response: JSON (not a problem document), never cached. */
    private static void assertOAuthError(Exchange x, int status, String error) {
        assertThat(x.status).as(x.describe()).isEqualTo(status);
        assertThat(x.contentType).as(x.describe()).startsWith("application/json");
        assertThat(x.json().get("error").asText()).as(x.describe()).isEqualTo(error);
        assertThat(x.headers.get("cache-control")).containsExactly("no-store");
    }

    /** The document's path template that {@code path} matches; literal segments win over parameters. */
    private static String template(String path) {
        String best = null;
        int bestParams = Integer.MAX_VALUE;
        for (Iterator<String> it = spec.get("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            String regex = Pattern.quote(t).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            int params = t.split("\\{", -1).length - 1;
            if (path.matches(regex) && params < bestParams) {
                best = t;
                bestParams = params;
            }
        }
        return best == null ? path : best;
    }

    /** A copy of the document in which every operation without its own {@code security} carries the top-level one. */
    private static JsonNode withInheritedSecurity(JsonNode document) {
        ObjectNode copy = document.deepCopy();
        JsonNode global = copy.get("security");
        assertThat(global).as("top-level security").isNotNull();
        copy.get("paths").elements().forEachRemaining(item -> item.fields().forEachRemaining(op -> {
            if (OPERATIONS.contains(op.getKey()) && !op.getValue().has("security")) {
                ((ObjectNode) op.getValue()).set("security", global.deepCopy());
            }
        }));
        return copy;
    }
}
