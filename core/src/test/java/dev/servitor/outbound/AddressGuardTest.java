// SPDX-License-Identifier: Apache-2.0
package dev.servitor.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Outgoing calls reach public addresses only, unless the deployment allows private ones. */
class AddressGuardTest {
    private final AddressGuard publicOnly = AddressGuard.publicOnly();
    private final AddressGuard inside = new AddressGuard(java.util.List.of("10.20.0.0/16", "127.0.0.1/32", "fd00::/8"));

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
        "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "198.18.0.1", "192.0.0.8", "224.0.0.1", "255.255.255.255",
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe", "2001:db8::1", "ff02::1"})
    void private_loopback_link_local_and_reserved_addresses_are_refused(String address) throws Exception {
        assertThat(publicOnly.allowed(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "192.169.0.1", "169.255.0.1",
        "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"})
    void public_addresses_are_allowed(String address) throws Exception {
        assertThat(publicOnly.allowed(InetAddress.getByName(address))).isTrue();
    }

    @Test
    void configured_inside_networks_are_allowed_and_nothing_else_of_the_private_ranges() throws Exception {
        assertThat(inside.allowed(InetAddress.getByName("10.20.3.4"))).isTrue();
        assertThat(inside.allowed(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(inside.allowed(InetAddress.getByName("fd00::5"))).isTrue();
        assertThat(inside.allowed(InetAddress.getByName("10.21.0.1"))).isFalse();
        assertThat(inside.allowed(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(inside.allowed(InetAddress.getByName("169.254.169.254"))).isFalse();
    }

    @Test
    void the_unspecified_and_multicast_addresses_are_never_allowed() throws Exception {
        AddressGuard everything = new AddressGuard(java.util.List.of("0.0.0.0/0", "::/0"));
        assertThat(everything.allowed(InetAddress.getByName("10.0.0.1"))).isTrue();
        assertThat(everything.allowed(InetAddress.getByName("0.0.0.0"))).isFalse();
        assertThat(everything.allowed(InetAddress.getByName("224.0.0.1"))).isFalse();
    }

    @Test
    void a_name_is_refused_when_any_of_its_addresses_is() {
        assertThatThrownBy(() -> publicOnly.check("localhost")).isInstanceOf(AddressGuard.RefusedAddress.class)
            .hasMessageContaining("non-public address");
        assertThatThrownBy(() -> publicOnly.check("no-such-host.invalid")).isInstanceOf(AddressGuard.RefusedAddress.class)
            .hasMessageContaining("cannot resolve");
    }
}
