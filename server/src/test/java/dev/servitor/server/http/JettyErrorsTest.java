// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests Jetty refuses before Javalin sees them (a URI or a header it cannot parse, a URI or
 * headers too long, a bad Host) are answered with problem documents, never Jetty's HTML pages.
 * Raw sockets, since an HTTP client would refuse to send most of them.
 */
class JettyErrorsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", URI.create(server.url()).getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a bad percent-encoding           | GET /% HTTP/1.1\\r\\nHost: x\\r\\n                                | 400 | malformed_request",
        "bad UTF-8 in the path            | GET /v1/%ff HTTP/1.1\\r\\nHost: x\\r\\nAccept: text/html\\r\\n      | 400 | malformed_request",
        "an ambiguous path parameter      | GET /a/..;/healthz HTTP/1.1\\r\\nHost: x\\r\\n                     | 400 | malformed_request",
        "a bad URI on a PUT               | PUT /% HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 0\\r\\n             | 400 | malformed_request",
        "a URI of 10,000 characters       | GET /LONG_URI HTTP/1.1\\r\\nHost: x\\r\\n                          | 414 | uri_too_long",
        "headers of 10,000 characters     | GET /healthz HTTP/1.1\\r\\nHost: x\\r\\nX-Big: LONG_VALUE\\r\\n       | 431 | headers_too_large",
        "a Host with a space              | GET /healthz HTTP/1.1\\r\\nHost: a b\\r\\n                        | 400 | malformed_request",
        "a Host with a bad port           | GET /healthz HTTP/1.1\\r\\nHost: x:99999\\r\\n                    | 400 | malformed_request",
        "two Host headers                 | GET /healthz HTTP/1.1\\r\\nHost: x\\r\\nHost: y\\r\\n               | 400 | malformed_request",
        "no Host header                   | GET /healthz HTTP/1.1\\r\\n                                     | 400 | malformed_request",
        "a header line without a colon    | GET /healthz HTTP/1.1\\r\\nHost: x\\r\\nBad Header\\r\\n             | 400 | malformed_request",
        "two Content-Lengths              | POST /v1/session HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n | 400 | malformed_request",
        "an unknown HTTP version          | GET /healthz HTTP/9.1\\r\\nHost: x\\r\\n                          | 505 | malformed_request",
        "an unknown path                  | GET /nowhere HTTP/1.1\\r\\nHost: x\\r\\nAccept: text/html\\r\\n       | 404 | not_found",
    })
    void jetty_refuses_it_with_a_problem_document_never_html(String what, String head, int status, String code) throws IOException {
        String request = head.replace("\\r\\n", "\r\n").replace("LONG_URI", "a".repeat(10_000)).replace("LONG_VALUE", "b".repeat(10_000))
            + "Connection: close\r\n\r\n";
        String answer = exchange(request);
        assertThat(answer).as(what).startsWith("HTTP/1.1 " + status + " ");
        String headers = answer.substring(0, answer.indexOf("\r\n\r\n"));
        assertThat(headers).as(what).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).as(what).doesNotContainIgnoringCase("<html");
        JsonNode problem = new ObjectMapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("code").asText()).isEqualTo(code);
        assertThat(problem.get("type").asText()).isEqualTo("https://servitor.dev/problems/" + code);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }
}
