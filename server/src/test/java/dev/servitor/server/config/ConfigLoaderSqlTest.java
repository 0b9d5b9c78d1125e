// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servitor.config.ServitorConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bounds of what one {@code POST /v1/sql} may build (docs/configuration.md). */
class ConfigLoaderSqlTest {

    @Test
    void the_defaults_are_the_documented_ones() {
        ServitorConfig.Sql s = ConfigLoader.load(null, Map.of(), Map.of()).sql();
        assertThat(s).isEqualTo(new ServitorConfig.Sql(1000, 10_000, 4 * 1024 * 1024, 16 * 1024 * 1024));
    }

    @Test
    void the_environment_sets_them() {
        ServitorConfig.Sql s = ConfigLoader.load(null, Map.of(ConfigKeys.SQL_MAX_STATEMENTS, "50", ConfigKeys.SQL_MAX_RESULT_ROWS, "500",
            ConfigKeys.SQL_MAX_RESULT_BYTES, "65536", ConfigKeys.SQL_MAX_BYTES_IN_FLIGHT, "67108864"), Map.of()).sql();
        assertThat(s).isEqualTo(new ServitorConfig.Sql(50, 500, 65_536, 64 * 1024 * 1024));
    }

    @Test
    void bad_values_are_all_reported_at_once() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigKeys.SQL_MAX_STATEMENTS, "0",
            ConfigKeys.SQL_MAX_RESULT_ROWS, "lots", ConfigKeys.SQL_MAX_RESULT_BYTES, "9999999999"), Map.of()))
            .hasMessageContaining(ConfigKeys.SQL_MAX_STATEMENTS).hasMessageContaining(ConfigKeys.SQL_MAX_RESULT_ROWS)
            .hasMessageContaining(ConfigKeys.SQL_MAX_RESULT_BYTES);
        // the pool must hold the largest script while it is parsed plus one script's results
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(ConfigKeys.SQL_MAX_BYTES_IN_FLIGHT, "5000000"), Map.of()))
            .hasMessageContaining(ConfigKeys.SQL_MAX_BYTES_IN_FLIGHT + " must be at least");
    }
}
