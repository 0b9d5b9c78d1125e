// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.server.testing.ApiContract;
import dev.servitor.testing.Race;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Verifications racing changes to the account they verify. On SQLite a cold verification once
 * held the only connection while waiting for a principal-cache entry whose loader waited for
 * that connection: a lock cycle that only the pool's timeout broke, with a 503 after 30 s.
 */
abstract class VerificationUnderChangeContract extends ApiContract {
    private static final int ROUNDS = 25;

    @Test
    void verifications_of_new_and_warm_keys_racing_an_account_change_all_answer_valid() throws Exception {
        String account = unique("busy-bot");
        server.createServiceAccount(account);
        List<String> warm = new ArrayList<>();
        for (int i = 0; i < 4; i++) warm.add(server.createKey(account, unique("warm")));
        warm.forEach(k -> assertThat(verify(k).get("valid").asBoolean()).isTrue());
        for (int round = 0; round < ROUNDS; round++) {
            List<String> fresh = new ArrayList<>();
            for (int i = 0; i < 4; i++) fresh.add(server.createKey(account, unique("fresh")));
            int r = round;
            List<Integer> statuses = Race.run(9, 9, i -> {
                if (i == 0) {
                    return server.patch("/v1/service-accounts/" + account, admin(), "{\"description\":\"round " + r + "\"}").status();
                }
                String key = i <= 4 ? fresh.get(i - 1) : warm.get(i - 5);
                TestServerAnswer a = answer(key);
                return a.valid ? 200 : a.status;
            });
            assertThat(statuses).as("round %d", round).containsOnly(200);
            for (String key : fresh) server.delete("/v1/service-accounts/" + account + "/keys/" + keyId(key), admin());
        }
    }

    private record TestServerAnswer(int status, boolean valid) {}

    private TestServerAnswer answer(String key) {
        var r = server.post("/v1/verify", admin(), "{\"credential\":\"" + key + "\"}");
        return new TestServerAnswer(r.status(), r.status() == 200 && r.json().get("valid").asBoolean());
    }

    private String keyId(String key) {
        return verify(key).get("credential").get("id").asText();
    }
}
