// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that send a request's headers and then its body slowly, or hold many connections: they
 * must not hold the server's threads (Jetty's pool has 250) nor keep it from answering others.
 * Raw sockets from several loopback addresses (127.0.0.0/8 is all loopback), so that the
 * per-address connection limit can be seen apart from the rest.
 */
class SlowClientsTest {
    private static final int BODY_TIMEOUT_SECONDS = 2;
    private static final int PER_ADDRESS = 64;
    private static TestServer server;
    private static int port;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(Engine.SQLITE, c -> c.withHttp(c.http().withConnectionLimits(BODY_TIMEOUT_SECONDS, PER_ADDRESS)));
        port = URI.create(server.url()).getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket s : sockets) s.close();
        sockets.clear();
    }

    private Socket connect(String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        sockets.add(s);
        return s;
    }

    /** Sends a keep-alive GET /healthz on {@code s} and reads its whole answer; true when it was 200. */
    private static boolean answersKeptAlive(Socket s) throws IOException {
        s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(30_000);
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) return false;
            head.append((char) c);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int body = length.find() ? Integer.parseInt(length.group(1)) : 0;
        if (in.readNBytes(body).length != body) return false;
        return head.toString().startsWith("HTTP/1.1 200 ");
    }

    /** Headers that announce 100 bytes of body, and 5 of them. */
    private Socket slowBody(String from, String path) throws IOException {
        Socket s = connect(from);
        String type = path.startsWith("/oauth") ? "application/x-www-form-urlencoded" : "application/json";
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + type + "\r\nContent-Length: 100\r\n\r\n";
        s.getOutputStream().write((head + (path.startsWith("/oauth") ? "grant" : "{\"use")).getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** Everything the server sends on {@code s} until it closes it (or {@code seconds} pass). */
    private static String readToEnd(Socket s, int seconds) throws IOException {
        s.setSoTimeout(seconds * 1000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = s.getInputStream()) {
            in.transferTo(out);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + seconds + " s; received: " + out.toString(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void four_hundred_slow_bodies_leave_healthz_and_other_requests_answered_within_seconds() throws Exception {
        for (int i = 0; i < 400; i++) {
            // 50 from each of 8 addresses: under the per-address limit, so every one of them is accepted
            slowBody("127.0.1." + (1 + i % 8), i % 2 == 0 ? "/oauth/token" : "/v1/session");
        }
        long started = System.nanoTime();
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        TestServer.Response login = server.post("/v1/session", null, "{\"username\":\"admin\",\"password\":\"wrong-password\"}");
        assertThat(login.status()).isEqualTo(401);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void a_body_that_does_not_arrive_in_time_gets_408_and_the_connection_is_closed() throws Exception {
        Socket slow = slowBody("127.0.0.1", "/v1/session");
        String answer = readToEnd(slow, BODY_TIMEOUT_SECONDS + 10);
        assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase("Content-Type: application/problem+json");
        String json = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(new ObjectMapper().readTree(json).get("code").asText()).isEqualTo("request_timeout");
    }

    @Test
    void a_body_that_trickles_in_gets_408_although_bytes_keep_coming() throws Exception {
        Socket slow = slowBody("127.0.0.1", "/oauth/token");
        long started = System.nanoTime();
        String answer = null;
        slow.setSoTimeout(200);
        for (int i = 0; i < 95 && answer == null; i++) {
            try {
                slow.getOutputStream().write('x'); // a byte every 200 ms: the connection is never idle
                byte[] buf = new byte[4096];
                int n = slow.getInputStream().read(buf);
                answer = n < 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                // nothing yet
            } catch (IOException e) {
                answer = "closed: " + e;
            }
        }
        assertThat(answer).as("an answer before the 100 bytes are complete").isNotNull().startsWith("HTTP/1.1 408 ");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(BODY_TIMEOUT_SECONDS + 5));
    }

    @Test
    void one_address_gets_at_most_its_connections_and_others_are_still_served() throws Exception {
        // each answers a request first, so the server has counted all of them before the extra one arrives
        for (int i = 0; i < PER_ADDRESS; i++) assertThat(answersKeptAlive(connect("127.0.0.2"))).isTrue();
        Socket extra = connect("127.0.0.2");
        assertThat(readToEnd(extra, 5)).as("closed before a byte is sent").isEmpty();
        assertThat(get("/healthz").statusCode()).as("another address").isEqualTo(200);

        Socket first = sockets.get(0);
        first.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readToEnd(first, 5)).as("the connections within the limit work").startsWith("HTTP/1.1 200 ");

        for (Socket s : sockets.subList(1, 11)) s.close();
        // the count follows closed connections: a new one is accepted again
        Socket again = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            again = connect("127.0.0.2");
            again.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = readToEnd(again, 5);
            if (!answer.isEmpty()) {
                assertThat(answer).startsWith("HTTP/1.1 200 ");
                return;
            }
            Thread.sleep(100); // the server may not have seen the closes yet
        }
        throw new AssertionError("no connection accepted after closing ten");
    }

    @Test
    void a_body_of_over_1_mib_is_413_whether_announced_or_not() throws Exception {
        Socket announced = connect("127.0.0.1");
        String auth = "Authorization: Bearer " + server.adminKey() + "\r\n";
        announced.getOutputStream().write(("POST /v1/sql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + auth
            + "Content-Length: 99999999\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(readToEnd(announced, 5)).startsWith("HTTP/1.1 413 ").contains("\"code\":\"payload_too_large\"");

        Socket chunked = connect("127.0.0.1");
        var out = chunked.getOutputStream();
        out.write(("POST /v1/sql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + auth
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 17; i++) out.write(chunk); // 1 MiB + 64 KiB
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readToEnd(chunked, 5)).startsWith("HTTP/1.1 413 ").contains("\"code\":\"payload_too_large\"");
    }
}
