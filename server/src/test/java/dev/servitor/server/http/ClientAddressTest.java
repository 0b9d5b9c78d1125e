// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private final ClientAddress proxies = new ClientAddress(List.of("10.0.0.0/8", "::1"));

    @Test
    void an_untrusted_peer_is_the_client_whatever_it_forwards() {
        assertThat(proxies.resolve("203.0.113.1", List.of("198.51.100.1"))).isEqualTo("203.0.113.1");
        assertThat(new ClientAddress(List.of()).resolve("127.0.0.1", List.of("198.51.100.1"))).isEqualTo("127.0.0.1");
    }

    @Test
    void a_trusted_peer_names_the_right_most_untrusted_hop() {
        assertThat(proxies.resolve("10.0.0.1", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
        // the left entries were written by the client itself: only the hop our proxies saw counts
        assertThat(proxies.resolve("10.0.0.1", List.of("1.1.1.1, 198.51.100.1, 10.0.0.7"))).isEqualTo("198.51.100.1");
        assertThat(proxies.resolve("10.0.0.1", List.of("1.1.1.1", "198.51.100.1"))).isEqualTo("198.51.100.1");
        assertThat(proxies.resolve("::1", List.of("2001:db8::1"))).isEqualTo("2001:db8::1");
    }

    @Test
    void a_trusted_peer_without_a_header_or_with_garbage_stays_the_client() {
        assertThat(proxies.resolve("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
        assertThat(proxies.resolve("10.0.0.1", List.of("evil"))).isEqualTo("10.0.0.1");
        assertThat(proxies.resolve("10.0.0.1", List.of("198.51.100.1, evil"))).isEqualTo("10.0.0.1");
        assertThat(proxies.resolve("10.0.0.1", List.of("10.0.0.2"))).isEqualTo("10.0.0.2");
    }

    @Test
    void an_invalid_trusted_proxy_is_refused() {
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.example.com"))).isInstanceOf(IllegalArgumentException.class);
    }
}
