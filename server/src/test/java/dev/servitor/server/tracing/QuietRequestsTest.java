// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which requests need a caller's sampled traceparent to be traced (TracesExportTest checks two of them end to end). */
class QuietRequestsTest {

    @Test
    void the_gateways_checks_and_the_probes_are_quiet_and_nothing_else() {
        assertThat(RequestSpans.quiet("POST", "/v1/verify")).isTrue();
        assertThat(RequestSpans.quiet("POST", "/oauth/introspect")).isTrue();
        assertThat(RequestSpans.quiet("GET", "/v1/forward-auth")).isTrue();
        assertThat(RequestSpans.quiet("DELETE", "/v1/forward-auth")).isTrue(); // a sub-request for any method
        assertThat(RequestSpans.quiet("GET", "/healthz")).isTrue();
        assertThat(RequestSpans.quiet("GET", "/readyz")).isTrue();
        assertThat(RequestSpans.quiet("GET", "/metrics")).isTrue();

        assertThat(RequestSpans.quiet("GET", "/v1/verify")).isFalse(); // a 405: worth a trace
        assertThat(RequestSpans.quiet("POST", "/oauth/token")).isFalse();
        assertThat(RequestSpans.quiet("GET", "/v1/whoami")).isFalse();
        assertThat(RequestSpans.quiet("POST", "/healthz")).isFalse();
    }
}
