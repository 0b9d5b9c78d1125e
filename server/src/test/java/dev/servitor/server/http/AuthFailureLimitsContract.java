// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.config.ServitorConfig;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.server.testing.TestServer.Response;
import java.security.SecureRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Failed authentications are limited per client address (5 a minute here), per client id and per
 * client id from one address (3 a minute here) on /v1 and /oauth/token; successes are never
 * limited, and a correct credential is never refused because others failed under its client id.
 * Each test speaks from its own addresses, so the tests do not share budgets.
 */
abstract class AuthFailureLimitsContract extends ProxiedContract {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        return config.withAccess(new ServitorConfig.Access(config.access().instanceSizes(), 5, 3));
    }

    /** A well-formed key (the checksum is right) that no one holds, whose payload starts with {@code start}. */
    private static String wellFormedUnknown(String prefix, String start) {
        StringBuilder payload = new StringBuilder(start);
        while (payload.length() < SecretFormat.PAYLOAD_LENGTH) payload.append(BASE62.charAt(RANDOM.nextInt(62)));
        return prefix + "_" + payload + SecretFormat.checksum(payload);
    }

    private static void assertRateLimited(Response r) {
        assertProblem(r, 429, "rate_limited");
        assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 60L);
    }

    private String validKey() {
        String sa = unique("steady");
        server.createServiceAccount(sa);
        return server.createKey(sa, "k");
    }

    @Nested
    class OnV1 {
        @Test
        void a_flood_of_bad_keys_from_one_address_gets_429_while_a_valid_key_still_works() {
            String key = validKey();
            String from = "203.0.113.10";
            assertThat(whoami(key, from).status()).isEqualTo(200);
            for (int i = 0; i < 5; i++) assertThat(whoami(SecretFormat.generate("svt"), from).status()).as("attempt " + i).isEqualTo(401);
            for (int i = 0; i < 3; i++) assertRateLimited(whoami(SecretFormat.generate("svt"), from));
            assertRateLimited(whoami(null, from));
            assertThat(whoami(key, from).status()).isEqualTo(200);
            assertThat(call("GET", "/v1/service-accounts", admin(), null, from).status()).isEqualTo(200);
            assertThat(whoami(SecretFormat.generate("svt"), "203.0.113.11").status()).as("another address").isEqualTo(401);
        }

        @Test
        void a_credential_that_has_not_succeeded_recently_waits_like_the_flood() {
            String from = "203.0.113.20";
            for (int i = 0; i < 5; i++) whoami(SecretFormat.generate("svt"), from);
            // it is not looked up at all while the address is limited: that is what keeps a flood cheap
            assertRateLimited(whoami(validKey(), from));
        }

        @Test
        void bad_keys_for_one_client_id_from_many_addresses_get_429() {
            for (int i = 0; i < 3; i++) {
                assertThat(whoami(wellFormedUnknown("svt", "Zq9x"), "198.51.100." + (100 + i)).status()).isEqualTo(401);
            }
            assertRateLimited(whoami(wellFormedUnknown("svt", "Zq9x"), "198.51.100.110"));
            assertThat(whoami(wellFormedUnknown("svt", "Yq9x"), "198.51.100.111").status()).as("another client id").isEqualTo(401);
        }

        @Test
        void forged_keys_sharing_a_keys_prefix_from_many_addresses_never_lock_the_key_out() {
            String key = validKey(); // never used before the attack: nothing on the node knows it is good
            String start = key.substring(key.indexOf('_') + 1, key.indexOf('_') + 1 + SecretFormat.DISPLAY_CHARS);
            for (int i = 0; i < 12; i++) {
                int status = whoami(wellFormedUnknown("svt", start), "198.51.100." + (20 + i)).status();
                assertThat(status).as("forgery " + i).isEqualTo(i < 3 ? 401 : 429);
            }
            assertThat(whoami(key, "198.51.100.40").status()).as("the right key from a fresh address").isEqualTo(200);
            assertThat(whoami(key, "198.51.100.20").status()).as("the right key from an attacker's address").isEqualTo(200);
            assertRateLimited(whoami(wellFormedUnknown("svt", start), "198.51.100.41")); // forgeries stay limited
        }

        @Test
        void bad_keys_for_one_client_id_from_one_address_are_held_back_before_the_check() {
            String key = validKey();
            String start = key.substring(key.indexOf('_') + 1, key.indexOf('_') + 1 + SecretFormat.DISPLAY_CHARS);
            String from = "198.51.100.60";
            for (int i = 0; i < 3; i++) assertThat(whoami(wellFormedUnknown("svt", start), from).status()).isEqualTo(401);
            // the pair is held back before the store is asked, but not the address: another client id still gets a 401
            assertRateLimited(whoami(wellFormedUnknown("svt", start), from));
            assertThat(whoami(wellFormedUnknown("svt", "Xw7p"), from).status()).isEqualTo(401);
        }

        @Test
        void successes_do_not_consume_the_budget() {
            String key = validKey();
            String from = "2001:db8:30::1";
            for (int i = 0; i < 30; i++) assertThat(whoami(key, from).status()).isEqualTo(200);
            for (int i = 0; i < 5; i++) assertThat(whoami(SecretFormat.generate("svt"), from).status()).isEqualTo(401);
            assertRateLimited(whoami(SecretFormat.generate("svt"), from));
        }
    }

    @Nested
    class AtTheTokenEndpoint {
        @Test
        void a_flood_of_bad_secrets_gets_429_while_the_valid_secret_still_works() {
            Client c = client("limited-client");
            String from = "2001:db8:40::1";
            assertThat(token(c.id(), c.secret(), from).status()).isEqualTo(200);
            int refused = 0;
            Response r = null;
            for (int i = 0; i < 6; i++) {
                r = token(c.id(), SecretFormat.generate("svs"), from);
                if (r.status() == 429) break;
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.json().get("error").asText()).isEqualTo("invalid_client");
                refused++;
            }
            assertThat(refused).isEqualTo(3); // the client id's budget runs out first
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.json().get("error").asText()).isEqualTo("temporarily_unavailable");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 60L);
            assertThat(token(c.id(), c.secret(), from).status()).isEqualTo(200);
        }

        @Test
        void twelve_wrong_secrets_from_twelve_addresses_never_lock_out_the_right_secret() {
            Client c = client("targeted-client"); // its secret has never been used: nothing on the node knows it is good
            for (int i = 0; i < 12; i++) {
                Response r = token(c.id(), SecretFormat.generate("svs"), "2001:db8:5:" + Integer.toHexString(i + 1) + "::1");
                assertThat(r.status()).as("wrong secret " + i).isEqualTo(i < 3 ? 401 : 429);
                if (r.status() == 429) assertThat(r.json().get("error").asText()).isEqualTo("temporarily_unavailable");
            }
            Response right = token(c.id(), c.secret(), "2001:db8:6:1::1");
            assertThat(right.status()).as(right.body()).isEqualTo(200);
            assertThat(right.json().get("access_token").asText()).isNotBlank();
            assertThat(token(c.id(), c.secret(), "2001:db8:5:1::1").status()).as("from an attacker's address").isEqualTo(200);
            Response wrong = token(c.id(), SecretFormat.generate("svs"), "2001:db8:6:2::1");
            assertThat(wrong.status()).as("wrong secrets stay limited").isEqualTo(429);
            assertThat(Long.parseLong(wrong.header("Retry-After"))).isBetween(1L, 60L);
        }

        @Test
        void bad_secrets_for_many_clients_from_one_address_get_429() {
            String from = "203.0.113.50";
            for (int i = 0; i < 5; i++) {
                assertThat(token("sa_nobody" + i, SecretFormat.generate("svs"), from).status()).isEqualTo(401);
            }
            Response r = token("sa_nobody9", SecretFormat.generate("svs"), from);
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isNotNull();
        }
    }
}
