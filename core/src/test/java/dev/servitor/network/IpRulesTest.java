// SPDX-License-Identifier: Apache-2.0
package dev.servitor.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpRulesTest {

    private static IpRules rules(List<String> allowed, List<String> blocked) {
        Instant now = Instant.now();
        return IpRules.of(new NetworkPolicy("np_1", "org_1", "p", "", allowed, blocked, now, now, "x"));
    }

    private static boolean allows(IpRules r, String ip) {
        return r.allows(IpRules.address(ip));
    }

    @Test
    void addresses_and_cidrs_of_both_versions_are_valid_entries() {
        assertThat(IpRules.validate("allowed_ips", List.of("10.0.0.1", "10.0.0.0/8", " 192.168.1.0/24 ", "::1",
            "2001:db8::/32", "0.0.0.0/0", "10.0.0.1/32", "2001:0db8::0001", "::ffff:10.0.0.1", "fe80::/10")))
            .hasSize(10).contains("192.168.1.0/24");
    }

    @Test
    void an_invalid_entry_is_named_by_its_index() {
        for (String bad : List.of("not-an-ip", "10.0.0.0/33", "", "*", "10.0.0.1-5", "10.0.0.*", "example.com", "1.2.3",
                "2001:db8::/129", "10.0.0.0/255.0.0.0", "1.2.3.4,5.6.7.8")) {
            assertThatThrownBy(() -> IpRules.validate("allowed_ips", List.of("10.0.0.1", "::1", bad)))
                .as(bad).isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IP);
                    assertThat(e.field()).isEqualTo("allowed_ips[2]");
                });
        }
    }

    @Test
    void an_empty_allow_list_allows_everything_not_blocked() {
        IpRules r = rules(List.of(), List.of("198.51.100.0/24"));
        assertThat(allows(r, "203.0.113.9")).isTrue();
        assertThat(allows(r, "2001:db8::1")).isTrue();
        assertThat(allows(r, "198.51.100.200")).isFalse();
    }

    @Test
    void an_allow_list_refuses_every_address_it_does_not_cover() {
        IpRules r = rules(List.of("203.0.113.0/24", "2001:db8::/32"), List.of());
        assertThat(allows(r, "203.0.113.7")).isTrue();
        assertThat(allows(r, "203.0.114.7")).isFalse();
        assertThat(allows(r, "2001:db8:1::7")).isTrue();
        assertThat(allows(r, "2001:db9::7")).isFalse();
    }

    @Test
    void blocked_wins_over_allowed() {
        IpRules r = rules(List.of("10.0.0.0/8"), List.of("10.1.0.0/16"));
        assertThat(allows(r, "10.2.3.4")).isTrue();
        assertThat(allows(r, "10.1.3.4")).isFalse();
    }

    @Test
    void leading_zeros_host_bits_and_zones_are_refused_naming_the_entry_and_why() {
        Map<String, String> why = Map.of("010.0.0.1", "leading zero", "10.0.0.01", "leading zero", "10.0.0.0/08", "leading zero",
            "::ffff:010.0.0.1", "leading zero", "10.0.0.1/8", "host bits set; write the block, 10.0.0.0/8",
            "2001:db8::1/32", "host bits set; write the block, 2001:db8::/32", "fe80::1%eth0", "IPv6 zone", "fe80::/10%1", "IPv6 zone");
        why.forEach((bad, reason) -> assertThatThrownBy(() -> IpRules.validate("blocked_ips", List.of("10.0.0.1", bad)))
            .as(bad).isInstanceOfSatisfying(ServiceException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IP);
                assertThat(e.field()).isEqualTo("blocked_ips[1]");
                assertThat(e.detail()).contains("'blocked_ips[1]'").contains("'" + bad + "'").contains(reason);
            }));
    }

    @Test
    void a_stored_cidr_with_host_bits_still_means_its_whole_block() {
        IpRules r = rules(List.of("10.1.2.3/8"), List.of());
        assertThat(allows(r, "10.200.0.1")).isTrue();
    }

    @Test
    void an_ipv4_mapped_ipv6_address_is_matched_as_ipv4() {
        IpRules r = rules(List.of("192.0.2.0/24"), List.of());
        assertThat(allows(r, "::ffff:192.0.2.10")).isTrue();
        assertThat(IpRules.address("[2001:db8::1]")).isNotNull();
        assertThat(IpRules.address("10.0.0.0/8")).isNull();
        assertThat(IpRules.address("garbage")).isNull();
    }
}
