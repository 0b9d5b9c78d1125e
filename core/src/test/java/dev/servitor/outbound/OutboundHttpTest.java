// SPDX-License-Identifier: Apache-2.0
package dev.servitor.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The outgoing client against a real HTTP server on loopback: guarded, no redirects, bounded in time and size. */
class OutboundHttpTest {
    static HttpServer server;
    static final AtomicInteger hits = new AtomicInteger();
    static final AtomicInteger redirectTargetHits = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/ok", ex -> {
            hits.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            byte[] big = new byte[1 << 20];
            java.util.Arrays.fill(big, (byte) 'x');
            ex.sendResponseHeaders(200, big.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(big);
            } catch (java.io.IOException dropped) {
                // the client stops reading after its limit
            }
        });
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", "/target");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/target", ex -> {
            redirectTargetHits.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/slow-headers", ex -> {
            sleep(5000);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/trickle", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 50; i++) {
                    out.write('x');
                    out.flush();
                    sleep(200);
                }
            } catch (java.io.IOException dropped) {
                // the client gave up
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** {@code allowHttp}: plain http to loopback, as SERVITOR_WEBHOOKS_ALLOW_HTTP=true allows. */
    private static OutboundHttp client(boolean allowHttp) {
        return new OutboundHttp(AddressGuard.publicOnly(), allowHttp, Duration.ofSeconds(1), 4096);
    }

    @Test
    void a_loopback_url_is_refused_before_anything_is_sent_unless_http_to_loopback_is_allowed() throws Exception {
        int before = hits.get();
        assertThatThrownBy(() -> client(false).post(url("/ok"), Map.of(), "{}")).isInstanceOf(OutboundHttp.CallFailed.class)
            .hasMessageContaining("must be an https URL");
        String httpsToLoopback = url("/ok").replace("http:", "https:");
        assertThatThrownBy(() -> client(true).post(httpsToLoopback, Map.of(), "{}")).isInstanceOf(OutboundHttp.CallFailed.class)
            .hasMessageContaining("non-public address");
        assertThat(hits.get()).isEqualTo(before);
        assertThat(client(true).post(url("/ok"), Map.of(), "{}").status()).isEqualTo(200);
        assertThat(hits.get()).isEqualTo(before + 1);
    }

    @Test
    void only_the_first_4_kib_of_an_answer_are_read() throws Exception {
        OutboundHttp.Answer answer = client(true).post(url("/ok"), Map.of("content-type", "application/json"), "{}");
        assertThat(answer.body()).hasSize(4096);
        assertThat(answer.successful()).isTrue();
    }

    @Test
    void a_redirect_is_an_answer_and_is_not_followed() throws Exception {
        OutboundHttp.Answer answer = client(true).post(url("/redirect"), Map.of(), "{}");
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.successful()).isFalse();
        assertThat(redirectTargetHits.get()).isZero();
    }

    @Test
    void a_peer_that_answers_too_late_or_trickles_its_body_times_out() {
        assertThatThrownBy(() -> client(true).post(url("/slow-headers"), Map.of(), "{}")).isInstanceOf(OutboundHttp.CallFailed.class)
            .hasMessageContaining("timed out");
        assertThatThrownBy(() -> client(true).post(url("/trickle"), Map.of(), "{}")).isInstanceOf(OutboundHttp.CallFailed.class)
            .hasMessageContaining("timed out");
    }

    @Test
    void only_https_unless_http_is_allowed_and_never_credentials_in_the_url() {
        OutboundHttp httpsOnly = new OutboundHttp(AddressGuard.publicOnly(), false, Duration.ofSeconds(1), 4096);
        assertThat(httpsOnly.refusal("http://example.com/hook")).isEqualTo("must be an https URL");
        assertThat(httpsOnly.refusal("https://example.com/hook")).isNull();
        assertThat(httpsOnly.refusal("https://user:pw@example.com/hook")).contains("without user information");
        assertThat(httpsOnly.refusal("ftp://example.com")).isEqualTo("must be an https URL");
        assertThat(httpsOnly.refusal("not a url")).isEqualTo("must be a URL");
        String base = "https://example.com/";
        assertThat(httpsOnly.refusal(base + "a".repeat(OutboundHttp.MAX_URL_CHARS - base.length()))).isNull();
        assertThat(httpsOnly.refusal(base + "a".repeat(OutboundHttp.MAX_URL_CHARS + 1 - base.length())))
            .isEqualTo("must be at most 2048 characters");
        assertThat(httpsOnly.refusal("https:///nohost")).contains("with a host");
    }
}
