// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** IPv6 clients are counted by their /64, so one host cannot dodge a per-address limit by changing its last 64 bits. */
class ClientSourceTest {
    @Test
    void ipv6_addresses_of_one_64_are_one_source_and_ipv4_addresses_stay_apart() {
        assertThat(ClientSource.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo(ClientSource.of("2001:db8:1:2::1"));
        assertThat(ClientSource.of("2001:db8:1:2::1")).isNotEqualTo(ClientSource.of("2001:db8:1:3::1"));
        assertThat(ClientSource.of("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(ClientSource.of("192.0.2.1")).isNotEqualTo(ClientSource.of("192.0.2.2"));
        assertThat(ClientSource.of("not an address")).isEqualTo("not an address");
    }

    @Test
    void failures_from_many_addresses_of_one_64_share_one_limit() {
        AuthFailureLimiter limiter = new AuthFailureLimiter(5, 1_000, () -> 1_000_000L);
        for (int i = 1; i <= 5; i++) limiter.failed("2001:db8:1:2::" + Integer.toHexString(i), null);
        assertThat(limiter.retryBeforeCheck("2001:db8:1:2::ffff", null, null)).as("a sixth address of the /64").isPositive();
        assertThat(limiter.retryBeforeCheck("2001:db8:1:3::1", null, null)).as("the next /64").isZero();
    }
}
