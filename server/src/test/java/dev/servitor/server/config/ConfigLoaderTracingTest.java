// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tracing keys: Servitor's own, and the standard OTEL_* variables as fallbacks. */
class ConfigLoaderTracingTest {

    private static TracingConfig tracing(Map<String, String> env) {
        return ConfigLoader.loadAll(null, env, Map.of()).tracing();
    }

    @Test
    void tracing_is_off_without_an_endpoint() {
        assertThat(tracing(Map.of())).isNull();
        assertThat(tracing(Map.of(ConfigKeys.OTEL_SERVICE_NAME, "auth", "OTEL_SERVICE_NAME", "x"))).isNull();
    }

    @Test
    void servitors_endpoint_is_a_base_url_that_gets_the_traces_path() {
        TracingConfig t = tracing(Map.of(ConfigKeys.OTEL_ENDPOINT, "http://collector:4318"));
        assertThat(t.tracesEndpoint()).isEqualTo(URI.create("http://collector:4318/v1/traces"));
        assertThat(t.serviceName()).isEqualTo("servitor");
        assertThat(t.sampleRatio()).isEqualTo(1.0);
        assertThat(tracing(Map.of(ConfigKeys.OTEL_ENDPOINT, "https://otel.example.com/prefix/")).tracesEndpoint())
            .isEqualTo(URI.create("https://otel.example.com/prefix/v1/traces"));
        assertThat(tracing(Map.of(ConfigKeys.OTEL_ENDPOINT, "http://c:4318/v1/traces")).tracesEndpoint())
            .isEqualTo(URI.create("http://c:4318/v1/traces"));
    }

    @Test
    void the_standard_variables_turn_it_on_when_servitors_own_are_unset() {
        assertThat(tracing(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_SERVICE_NAME", "gw-auth")))
            .isEqualTo(new TracingConfig(URI.create("http://c:4318/v1/traces"), "gw-auth", 1.0));
        assertThat(tracing(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/custom")).tracesEndpoint())
            .isEqualTo(URI.create("http://c:4318/custom")); // used as it is, as the standard says
        assertThat(tracing(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://other:4318", ConfigKeys.OTEL_ENDPOINT, "http://mine:4318",
            ConfigKeys.OTEL_SERVICE_NAME, "mine", "OTEL_SERVICE_NAME", "theirs", ConfigKeys.OTEL_SAMPLE_RATIO, "0.25")))
            .isEqualTo(new TracingConfig(URI.create("http://mine:4318/v1/traces"), "mine", 0.25));
    }

    @Test
    void the_standard_off_switches_win() {
        assertThat(tracing(Map.of(ConfigKeys.OTEL_ENDPOINT, "http://c:4318", "OTEL_SDK_DISABLED", "true"))).isNull();
        assertThat(tracing(Map.of(ConfigKeys.OTEL_ENDPOINT, "http://c:4318", "OTEL_TRACES_EXPORTER", "none"))).isNull();
    }

    @Test
    void bad_values_are_reported_together_without_echoing_the_endpoint() {
        assertThatThrownBy(() -> tracing(Map.of(ConfigKeys.OTEL_ENDPOINT, "http://user:hunter2@c:4318", ConfigKeys.OTEL_SAMPLE_RATIO, "1.5",
            "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", ConfigKeys.PORT, "x")))
            .hasMessageContaining(ConfigKeys.OTEL_ENDPOINT + " must be an http(s) URL")
            .hasMessageContaining(ConfigKeys.OTEL_SAMPLE_RATIO + " must be between 0 and 1")
            .hasMessageContaining("http/protobuf only")
            .hasMessageContaining(ConfigKeys.PORT)
            .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> tracing(Map.of(ConfigKeys.OTEL_ENDPOINT, "collector:4318", ConfigKeys.OTEL_SAMPLE_RATIO, "half")))
            .hasMessageContaining(ConfigKeys.OTEL_ENDPOINT).hasMessageContaining(ConfigKeys.OTEL_SAMPLE_RATIO + " must be a number");
    }
}
