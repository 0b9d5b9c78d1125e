// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The signature matches Standard Webhooks' published example, so receivers' libraries accept it. */
class WebhookSignatureTest {

    @Test
    void the_published_example_of_the_specification_is_reproduced() {
        // standard-webhooks/spec, "Verifying webhook signatures" example (the libraries' shared test vector)
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        long timestamp = 1614265330L;
        String body = "{\"test\": 2432232314}";
        assertThat(WebhookSignature.sign(id, timestamp, body, secret)).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void several_live_secrets_give_one_signature_each_separated_by_a_space() {
        String a = WebhookSignature.newSecret();
        String b = WebhookSignature.newSecret();
        String both = WebhookSignature.sign("msg_1", 1, "{}", a, b);
        assertThat(both.split(" ")).containsExactly(WebhookSignature.sign("msg_1", 1, "{}", a), WebhookSignature.sign("msg_1", 1, "{}", b));
    }

    @Test
    void a_new_secret_is_32_random_bytes_in_base64_after_the_prefix() {
        String s = WebhookSignature.newSecret();
        assertThat(s).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(s.substring(6))).hasSize(32);
        assertThat(WebhookSignature.newSecret()).isNotEqualTo(s);
    }
}
