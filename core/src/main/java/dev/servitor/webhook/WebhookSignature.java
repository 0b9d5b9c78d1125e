// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing (standardwebhooks.com): the secret is {@code whsec_} + base64 of 32
 * random bytes; a delivery carries {@code webhook-id}, {@code webhook-timestamp} (Unix seconds) and
 * {@code webhook-signature} = {@code v1,} + base64(HMAC-SHA256(secret bytes, id + "." + timestamp + "." + body)),
 * space-separated when several secrets are live (after a rotation, the old one for a day), so any
 * of the receiver's libraries can check it.
 */
public final class WebhookSignature {
    public static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {}

    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} value for one message, signed with each of {@code secrets}. */
    public static String sign(String messageId, long timestampSeconds, String body, String... secrets) {
        StringBuilder header = new StringBuilder();
        for (String secret : secrets) {
            if (header.length() > 0) header.append(' ');
            header.append("v1,").append(Base64.getEncoder().encodeToString(hmac(secret, messageId + "." + timestampSeconds + "." + body)));
        }
        return header.toString();
    }

    private static byte[] hmac(String secret, String content) {
        if (!secret.startsWith(SECRET_PREFIX)) throw new IllegalArgumentException("not a webhook secret");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length())), "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
