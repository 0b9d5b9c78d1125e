// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Who a limit counts a client address as. An IPv4 address is one source; an IPv6 address counts
 * as its /64, the smallest block a network hands out: a host given a /64 has 2^64 addresses
 * of its own, so counting each alone would let one attacker dodge every per-address limit.
 */
final class ClientSource {
    private ClientSource() {}

    static InetAddress of(InetAddress address) {
        if (!(address instanceof Inet6Address)) return address;
        byte[] bytes = address.getAddress();
        Arrays.fill(bytes, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return address; // 16 bytes are always an address
        }
    }

    /** The same for an address as text (as the client address is kept); text that is no address stays as it is. */
    static String of(String ip) {
        if (ip == null || ip.indexOf(':') < 0) return ip;
        try {
            // only literal IPv6 text gets here (it has a colon), so no name is ever looked up
            return of(InetAddress.getByName(ip)).getHostAddress() + "/64";
        } catch (UnknownHostException | SecurityException e) {
            return ip;
        }
    }
}
