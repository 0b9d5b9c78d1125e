// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How Servitor serves the console's files: types, caching and the security headers, without a credential. */
class ConsoleRoutesTest {
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.Engine.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void consoleWithoutSlashRedirectsToTheIndex() {
        TestServer.Response r = server.get("/console", null);
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("/console/");
        assertThat(r.header("Content-Security-Policy")).isEqualTo(CSP);
    }

    @ParameterizedTest
    @CsvSource({
        "/console/, text/html",
        "/console/app.js, text/javascript",
        "/console/api.js, text/javascript",
        "/console/ui.js, text/javascript",
        "/console/pages/login.js, text/javascript",
        "/console/console.css, text/css",
    })
    void filesAreServedWithTheirTypeAndTheSecurityHeaders(String path, String type) {
        TestServer.Response r = server.get(path, null).expect(200);
        assertThat(r.header("Content-Type")).startsWith(type);
        assertThat(r.header("Content-Security-Policy")).isEqualTo(CSP);
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
    }

    @Test
    void theIndexHasNoInlineScriptOrStyle() {
        String html = server.get("/console/", null).expect(200).body();
        assertThat(html).contains("<script type=\"module\" src=\"app.js\"></script>");
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
        assertThat(html).doesNotContain("<style").doesNotContain("style=").doesNotContainPattern("\\son[a-z]+=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/../openapi.yaml", "/console/%2e%2e/openapi.yaml", "/console/nothing.js",
        "/console/pages/../../logback.xml", "/console/.hidden.js", "/console/app.class"})
    void nothingElseIsServed(String path) {
        TestServer.Response r = server.get(path, null);
        assertThat(r.status()).isIn(400, 404);
        assertThat(r.body()).doesNotContain("<configuration");
    }
}
