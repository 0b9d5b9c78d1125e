// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servitor.config.ServitorConfig;
import dev.servitor.server.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SERVITOR_TLS_CERT and SERVITOR_TLS_KEY: checked at start-up, so a node never starts with files it cannot serve. */
class ConfigLoaderTlsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        TestCertificates.make(dir, "a");
        TestCertificates.make(dir, "b");
        TestCertificates.toSec1(dir, "a", "a-sec1.key");
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void without_the_settings_the_api_is_plain_http() {
        assertThat(ConfigLoader.load(null, Map.of(), Map.of()).http().tls()).isFalse();
    }

    @Test
    void a_certificate_and_its_pkcs8_key_turn_tls_on() {
        ServitorConfig.Http h = ConfigLoader.load(null, Map.of(ConfigKeys.TLS_CERT, path("a.crt"), ConfigKeys.TLS_KEY, path("a.key")), Map.of()).http();
        assertThat(h.tls()).isTrue();
        assertThat(h.tlsCertificate()).isEqualTo(dir.resolve("a.crt"));
    }

    @Test
    void one_without_the_other_is_refused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigKeys.TLS_CERT, path("a.crt")), Map.of()))
            .hasMessageContaining(ConfigKeys.TLS_CERT + " and " + ConfigKeys.TLS_KEY + " must be set together");
    }

    @Test
    void a_key_of_another_certificate_is_refused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigKeys.TLS_CERT, path("a.crt"), ConfigKeys.TLS_KEY, path("b.key")), Map.of()))
            .hasMessageContaining("is not the private key of the first certificate");
    }

    @Test
    void an_old_style_key_is_refused_with_the_command_that_converts_it_and_without_its_contents() throws Exception {
        String pem = Files.readString(dir.resolve("a-sec1.key"));
        assertThat(pem).contains("BEGIN EC PRIVATE KEY");
        String body = pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigKeys.TLS_CERT, path("a.crt"), ConfigKeys.TLS_KEY, path("a-sec1.key")), Map.of()))
            .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
            .message().doesNotContain(body);
    }

    @Test
    void files_that_are_missing_or_not_pem_are_refused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigKeys.TLS_CERT, path("none.crt"), ConfigKeys.TLS_KEY, path("a.key")), Map.of()))
            .hasMessageContaining("cannot read");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigKeys.TLS_CERT, path("a.key"), ConfigKeys.TLS_KEY, path("a.key")), Map.of()))
            .hasMessageContaining("not a PEM certificate chain");
    }
}
