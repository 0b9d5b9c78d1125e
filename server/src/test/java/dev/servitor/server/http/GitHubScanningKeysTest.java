// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.outbound.AddressGuard;
import dev.servitor.outbound.OutboundHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitHub's keys from a file (SERVITOR_GITHUB_SCANNING_KEYS_FILE), rotation, and the once-a-minute refetch. */
class GitHubScanningKeysTest {
    @TempDir Path dir;
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final OutboundHttp http = new OutboundHttp(new AddressGuard(List.of()), false, Duration.ofSeconds(1), 4096);

    private static KeyPair pair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String sign(KeyPair p, byte[] body) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(p.getPrivate());
        s.update(body);
        return Base64.getEncoder().encodeToString(s.sign());
    }

    private static String document(String id, KeyPair p) {
        String pem = "-----BEGIN PUBLIC KEY-----\\n" + Base64.getEncoder().encodeToString(p.getPublic().getEncoded())
            + "\\n-----END PUBLIC KEY-----\\n";
        return "{\"public_keys\":[{\"key_identifier\":\"" + id + "\",\"key\":\"" + pem + "\",\"is_current\":true}]}";
    }

    @Test
    void a_rotated_key_is_picked_up_on_its_first_use_but_the_file_is_read_at_most_once_a_minute() throws Exception {
        KeyPair first = pair();
        KeyPair second = pair();
        Path file = dir.resolve("keys.json");
        Files.writeString(file, document("one", first));
        GitHubScanningKeys keys = new GitHubScanningKeys(http, null, file, now::get);
        byte[] body = "[]".getBytes(StandardCharsets.UTF_8);

        assertThat(keys.verifies("one", sign(first, body), body)).isTrue();
        assertThat(keys.verifies("one", sign(second, body), body)).isFalse();
        assertThat(keys.verifies("one", sign(first, body), "[ ]".getBytes(StandardCharsets.UTF_8))).isFalse();

        Files.writeString(file, document("two", second)); // GitHub rotated its key
        now.addAndGet(GitHubScanningKeys.REFETCH_INTERVAL_MILLIS - 1);
        assertThat(keys.verifies("two", sign(second, body), body)).isFalse(); // read less than a minute ago
        now.addAndGet(1);
        assertThat(keys.verifies("two", sign(second, body), body)).isTrue();
    }

    @Test
    void without_a_source_or_with_a_broken_document_nothing_verifies() throws Exception {
        KeyPair p = pair();
        byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
        assertThat(new GitHubScanningKeys(http, null, null, now::get).verifies("one", sign(p, body), body)).isFalse();
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"public_keys\": 42}");
        assertThat(new GitHubScanningKeys(http, null, file, now::get).verifies("one", sign(p, body), body)).isFalse();
        Files.writeString(file, document("one", p).replace("BEGIN PUBLIC KEY-----\\n", "BEGIN PUBLIC KEY-----\\nAAAA"));
        assertThat(new GitHubScanningKeys(http, null, file, now::get).verifies("one", sign(p, body), body)).isFalse();
    }
}
