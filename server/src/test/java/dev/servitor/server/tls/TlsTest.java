// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node given SERVITOR_TLS_CERT and SERVITOR_TLS_KEY serves its API over TLS, names an https
 * issuer, and picks up renewed files without a restart, never a half-renewed pair.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsTest {
    @TempDir
    static Path dir;
    static Path cert;
    static Path key;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        for (String name : new String[] {"first", "renewed", "other"}) TestCertificates.make(dir, name);
        cert = dir.resolve("tls.crt");
        key = dir.resolve("tls.key");
        TestCertificates.install(dir.resolve("first.crt"), cert);
        TestCertificates.install(dir.resolve("first.key"), key);
        server = TestServer.start(Engine.SQLITE, c -> c.withHttp(c.http().withTls(cert, key)));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    @Order(1)
    void the_api_answers_over_tls_with_the_configured_certificate_and_an_https_issuer() throws Exception {
        assertThat(presentedName()).isEqualTo("CN=first");
        HttpClient client = HttpClient.newBuilder().sslContext(trustingAnything()).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> whoami = client.send(HttpRequest.newBuilder(URI.create(httpsUrl() + "/v1/whoami"))
            .header("Authorization", "Bearer " + server.adminKey()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(whoami.statusCode()).isEqualTo(200);
        HttpResponse<String> metadata = client.send(HttpRequest.newBuilder(URI.create(httpsUrl() + "/.well-known/oauth-authorization-server"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(new ObjectMapper().readTree(metadata.body()).get("issuer").asText()).startsWith("https://127.0.0.1:");
    }

    @Test
    @Order(2)
    void a_renewed_pair_is_served_to_new_connections_without_a_restart() throws Exception {
        TestCertificates.install(dir.resolve("renewed.key"), key);
        TestCertificates.install(dir.resolve("renewed.crt"), cert);
        assertThat(eventuallyPresented("CN=renewed")).isEqualTo("CN=renewed");
    }

    @Test
    @Order(3)
    void a_certificate_without_its_key_is_not_served_until_the_key_arrives() throws Exception {
        TestCertificates.install(dir.resolve("other.crt"), cert); // the key is still the renewed one
        Thread.sleep((CertificateReloader.CHECK_SECONDS * 2 + 1) * 1000L);
        assertThat(presentedName()).as("the current pair stays while the new one is incomplete").isEqualTo("CN=renewed");
        TestCertificates.install(dir.resolve("other.key"), key);
        assertThat(eventuallyPresented("CN=other")).isEqualTo("CN=other");
    }

    private static String eventuallyPresented(String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String seen = presentedName();
        while (!seen.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            seen = presentedName();
        }
        return seen;
    }

    private static String httpsUrl() {
        return server.url().replace("http://", "https://");
    }

    /** The subject of the certificate a new TLS connection is shown. */
    private static String presentedName() throws Exception {
        int port = URI.create(server.url()).getPort();
        try (SSLSocket socket = (SSLSocket) trustingAnything().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    /** The test reads which certificate is presented; checking it is the client's business, not this test's. */
    private static SSLContext trustingAnything() throws Exception {
        TrustManager all = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {all}, null);
        return context;
    }
}
