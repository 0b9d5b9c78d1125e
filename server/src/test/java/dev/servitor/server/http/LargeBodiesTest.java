// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.TestServer;
import dev.servitor.server.testing.TestServer.Response;
import dev.servitor.testing.TestDatabases.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Large request bodies share one node-wide pool of memory (issue 14, item 1: a hundred parallel
 * 1 MiB bodies, even to {@code POST /v1/session} without a credential, exhausted the heap and the
 * server exited). Once the pool is spent a large body is answered 503 at once, small bodies still
 * go through, and the pool is given back when the requests end, however they end.
 */
class LargeBodiesTest {
    private static final TestServer server = TestServer.start(Engine.SQLITE);

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A request that declares a 1 MiB body and sends ten bytes of it, then waits. */
    private static Socket slowUpload(String path) throws IOException {
        Socket s = new Socket("127.0.0.1", Integer.parseInt(server.url().substring(server.url().lastIndexOf(':') + 1)));
        OutputStream out = s.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + server.adminKey()
            + "\r\nContent-Type: application/json\r\nContent-Length: " + JsonBody.MAX_BYTES + "\r\n\r\n{\"name\":\"").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static void awaitPool(int free) throws InterruptedException {
        for (int i = 0; i < 100 && BodyMemory.free() != free; i++) Thread.sleep(50);
        assertThat(BodyMemory.free()).isEqualTo(free);
    }

    @Test
    void large_bodies_past_the_pool_get_503_small_ones_still_pass_and_the_pool_comes_back() throws Exception {
        awaitPool(BodyMemory.MAX_IN_FLIGHT);
        String large = "{\"name\":\"big\",\"description\":\"" + "d".repeat(200_000) + "\"}";
        List<Socket> holders = new ArrayList<>();
        try {
            for (int i = 0; i < BodyMemory.MAX_IN_FLIGHT / JsonBody.MAX_BYTES; i++) holders.add(slowUpload("/v1/service-accounts"));
            awaitPool(0);
            Response refused = server.post("/v1/service-accounts", server.adminKey(), large);
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.json().get("code").asText()).isEqualTo("unavailable");
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            server.post("/v1/service-accounts", server.adminKey(), "{\"name\":\"small-body\"}").expect(201);
        } finally {
            for (Socket s : holders) s.close();
        }
        awaitPool(BodyMemory.MAX_IN_FLIGHT);
        // refused (422: description too long) and accepted large bodies give their room back too
        for (int i = 0; i < 3 * BodyMemory.MAX_IN_FLIGHT / 200_000; i++) {
            assertThat(server.post("/v1/service-accounts", server.adminKey(), large).status()).isEqualTo(422);
        }
        awaitPool(BodyMemory.MAX_IN_FLIGHT);
    }
}
