// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servitor.config.ServitorConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compute sizes, failed-authentication limits, trusted proxies and accepted audiences keys. */
class ConfigLoaderAccessTest {

    @Test
    void the_defaults_are_the_documented_ones() {
        ServitorConfig.Access a = ConfigLoader.load(null, Map.of(), Map.of()).access();
        assertThat(a.instanceSizes()).containsExactly("pulse", "standard", "jumbo", "mega", "giga");
        assertThat(a.authFailuresPerMinutePerIp()).isEqualTo(20);
        assertThat(a.authFailuresPerMinutePerClient()).isEqualTo(10);
    }

    @Test
    void the_environment_sets_them() {
        ServitorConfig c = ConfigLoader.load(null, Map.of(ConfigKeys.INSTANCE_SIZES, "small, large",
            ConfigKeys.AUTH_FAILURES_PER_MINUTE_PER_IP, "100", ConfigKeys.AUTH_FAILURES_PER_MINUTE_PER_CLIENT, "7",
            ConfigKeys.TRUSTED_PROXIES, "10.0.0.0/8, ::1"), Map.of());
        assertThat(c.access().instanceSizes()).containsExactly("small", "large");
        assertThat(c.access().authFailuresPerMinutePerIp()).isEqualTo(100);
        assertThat(c.access().authFailuresPerMinutePerClient()).isEqualTo(7);
        assertThat(c.http().trustedProxies()).isEqualTo(List.of("10.0.0.0/8", "::1"));
    }

    @Test
    void bad_values_are_all_reported_at_once() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigKeys.INSTANCE_SIZES, "Big Size",
            ConfigKeys.AUTH_FAILURES_PER_MINUTE_PER_IP, "0", ConfigKeys.TRUSTED_PROXIES, "proxy.local"), Map.of()))
            .hasMessageContaining(ConfigKeys.INSTANCE_SIZES).hasMessageContaining(ConfigKeys.AUTH_FAILURES_PER_MINUTE_PER_IP)
            .hasMessageContaining(ConfigKeys.TRUSTED_PROXIES);
    }

    @Test
    void accepted_audiences_are_a_list_of_bounded_printable_values() {
        assertThat(ConfigLoader.load(null, Map.of(), Map.of()).tokens().acceptedAudiences()).isEmpty();
        ServitorConfig c = ConfigLoader.load(null, Map.of(ConfigKeys.ACCEPTED_AUDIENCES, " https://api.example.com , api2,"), Map.of());
        assertThat(c.tokens().acceptedAudiences()).containsExactly("https://api.example.com", "api2");
        for (String bad : new String[] {"has space", "a".repeat(256), "caf\u00e9"}) {
            assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigKeys.ACCEPTED_AUDIENCES, bad), Map.of()))
                .as(bad).hasMessageContaining(ConfigKeys.ACCEPTED_AUDIENCES);
        }
    }
}
