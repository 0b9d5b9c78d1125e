// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How long lifecycle events may wait while the node is busy (docs/configuration.md). */
class ConfigLoaderWebhooksTest {

    @Test
    void events_wait_at_most_30_seconds_by_default_and_the_environment_sets_it() {
        assertThat(ConfigLoader.load(null, Map.of(), Map.of()).outbound().webhooksMaxDeferSeconds()).isEqualTo(30);
        assertThat(ConfigLoader.load(null, Map.of(ConfigKeys.WEBHOOKS_MAX_DEFER, "0"), Map.of()).outbound().webhooksMaxDeferSeconds())
            .isZero();
        assertThat(ConfigLoader.load(null, Map.of(ConfigKeys.WEBHOOKS_MAX_DEFER, "120"), Map.of()).outbound().webhooksMaxDeferSeconds())
            .isEqualTo(120);
    }

    @Test
    void a_negative_or_too_long_delay_is_refused_by_name() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigKeys.WEBHOOKS_MAX_DEFER, "-1"), Map.of()))
            .hasMessageContaining(ConfigKeys.WEBHOOKS_MAX_DEFER + " must be between 0 and 3600");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigKeys.WEBHOOKS_MAX_DEFER, "3601"), Map.of()))
            .hasMessageContaining(ConfigKeys.WEBHOOKS_MAX_DEFER);
    }
}
