// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servitor.config.ServitorConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The body timeout, connections per address and metrics keys. */
class ConfigLoaderHttpTest {

    @Test
    void the_defaults_are_the_documented_ones() {
        ServitorConfig.Http h = ConfigLoader.load(null, Map.of(), Map.of()).http();
        assertThat(h.bodyTimeoutSeconds()).isEqualTo(20);
        assertThat(h.maxConnectionsPerAddress()).isEqualTo(256);
        assertThat(h.metricsPort()).isNull();
        assertThat(h.metricsToken()).isNull();
    }

    @Test
    void the_environment_sets_them() {
        ServitorConfig.Http h = ConfigLoader.load(null, Map.of(ConfigKeys.BODY_TIMEOUT, "5", ConfigKeys.MAX_CONNECTIONS_PER_IP, "1000",
            ConfigKeys.METRICS_PORT, "9464", ConfigKeys.METRICS_TOKEN, "0123456789abcdef0123"), Map.of()).http();
        assertThat(h.bodyTimeoutSeconds()).isEqualTo(5);
        assertThat(h.maxConnectionsPerAddress()).isEqualTo(1000);
        assertThat(h.metricsPort()).isEqualTo(9464);
        assertThat(h.metricsToken()).isEqualTo("0123456789abcdef0123");
    }

    @Test
    void bad_values_are_all_reported_at_once_and_the_token_is_never_echoed() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigKeys.BODY_TIMEOUT, "0", ConfigKeys.MAX_CONNECTIONS_PER_IP, "x",
            ConfigKeys.PORT, "9000", ConfigKeys.METRICS_PORT, "9000", ConfigKeys.METRICS_TOKEN, "short secret"), Map.of()))
            .hasMessageContaining(ConfigKeys.BODY_TIMEOUT).hasMessageContaining(ConfigKeys.MAX_CONNECTIONS_PER_IP)
            .hasMessageContaining(ConfigKeys.METRICS_PORT + " must differ").hasMessageContaining(ConfigKeys.METRICS_TOKEN)
            .message().doesNotContain("short secret");
    }
}
