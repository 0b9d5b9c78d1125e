// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import dev.servitor.testing.Race;
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

    private static void awaitPool(int free) throws InterruptedException {
        for (int i = 0; i < 100 && BodyMemory.free() != free; i++) Thread.sleep(50);
        assertThat(BodyMemory.free()).isEqualTo(free);
    }

    @Test
    void parallel_large_bodies_are_parsed_within_the_pool_and_the_pool_comes_back() throws Exception {
        awaitPool(BodyMemory.MAX_IN_FLIGHT);
        // BufferedBodies has the whole body before a route runs, so bodies are held here only while parsed
        String large = "{\"name\":\"big\",\"description\":\"" + "d".repeat(900_000) + "\"}";
        List<Integer> statuses = Race.run(40, 40, i -> server.post("/v1/service-accounts", server.adminKey(), large).status());
        assertThat(statuses).as("refused for its length once parsed, or 503 past the pool").isSubsetOf(422, 503);
        server.get("/healthz", null).expect(200);
        server.post("/v1/service-accounts", server.adminKey(), "{\"name\":\"small-body\"}").expect(201);
        awaitPool(BodyMemory.MAX_IN_FLIGHT);
    }
}
