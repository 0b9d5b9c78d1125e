// SPDX-License-Identifier: Apache-2.0
package dev.servitor.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * Which addresses Servitor's outgoing calls (webhooks, and later issuers' key sets) may reach. By
 * default only public ones: a tenant who could make the server call {@code 127.0.0.1},
 * {@code 10.0.0.5} or the cloud's metadata service ({@code 169.254.169.254}) could read or poke at
 * what sits behind the firewall (server-side request forgery). Every address a name resolves to
 * is checked; the JDK caches the answer ({@code networkaddress.cache.ttl}, 30 s by default), so the
 * connection that follows uses an address that was checked (a name that changes its answer within
 * that time, to rebind to an inside address, is still held to the first answer).
 */
public final class AddressGuard {
    private final List<IPAddress> allowedNetworks;

    /**
     * {@code allowedNetworks}: CIDRs ({@code 10.20.0.0/16}, {@code 127.0.0.0/8}) whose addresses are
     * allowed although not public, for a deployment whose receivers live inside its network.
     */
    public AddressGuard(List<String> allowedNetworks) {
        this.allowedNetworks = allowedNetworks.stream().map(c -> {
            IPAddress a = new IPAddressString(c).getAddress();
            if (a == null) throw new IllegalArgumentException("not an address or CIDR: " + c);
            return a.toPrefixBlock();
        }).toList();
    }

    /** Public addresses only. */
    public static AddressGuard publicOnly() {
        return new AddressGuard(List.of());
    }

    /** Thrown for a host that resolves to nothing, or to an address this guard refuses. */
    public static final class RefusedAddress extends Exception {
        public RefusedAddress(String message) {
            super(message);
        }
    }

    /** Resolves {@code host} and checks every address it has. */
    public void check(String host) throws RefusedAddress {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new RefusedAddress("cannot resolve " + host);
        }
        for (InetAddress a : addresses) {
            if (!allowed(a)) throw new RefusedAddress(host + " resolves to a non-public address (" + a.getHostAddress() + ")");
        }
    }

    public boolean allowed(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) return false; // never a peer, whatever the setting
        if (isPublic(a)) return true;
        IPAddress address = new IPAddressString(a.getHostAddress()).getAddress();
        return address != null && allowedNetworks.stream().anyMatch(n -> n.contains(address));
    }

    /** True if every address {@code host} resolves to is a loopback address. */
    public static boolean isLoopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) if (!a.isLoopbackAddress()) return false;
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()) return false;
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return isPublicV4(b);
        if (a instanceof Inet6Address) {
            if (isV4Mapped(b) || isNat64(b)) return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) return false; // fc00::/7 unique local
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) return false; // 2001:db8::/32
            return true;
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int o0 = b[0] & 0xff;
        int o1 = b[1] & 0xff;
        if (o0 == 0 || o0 == 10 || o0 == 127 || o0 >= 224) return false;           // this network, private, loopback, multicast, reserved
        if (o0 == 100 && (o1 & 0xc0) == 64) return false;                          // 100.64.0.0/10 shared (carrier-grade NAT)
        if (o0 == 169 && o1 == 254) return false;                                  // link-local, cloud metadata
        if (o0 == 172 && (o1 & 0xf0) == 16) return false;                          // 172.16.0.0/12
        if (o0 == 192 && o1 == 168) return false;                                  // 192.168.0.0/16
        if (o0 == 192 && o1 == 0 && (b[2] & 0xff) == 0) return false;              // 192.0.0.0/24 protocol assignments
        if (o0 == 198 && (o1 & 0xfe) == 18) return false;                          // 198.18.0.0/15 benchmarking
        return true;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    /** 64:ff9b::/96, the NAT64 prefix: the IPv4 address in its last four bytes is what is reached. */
    private static boolean isNat64(byte[] b) {
        if ((b[0] & 0xff) != 0 || (b[1] & 0xff) != 0x64 || (b[2] & 0xff) != 0xff || (b[3] & 0xff) != 0x9b) return false;
        for (int i = 4; i < 12; i++) if (b[i] != 0) return false;
        return true;
    }
}
