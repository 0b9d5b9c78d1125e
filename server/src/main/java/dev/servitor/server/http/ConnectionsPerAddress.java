// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.network.IpRules;
import inet.ipaddr.IPAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;

/**
 * At most {@code max} open connections per peer address on a connector: one more is closed as
 * soon as it opens, before a byte of it is read. Trusted proxies are exempt (every client behind
 * them shares their address; the proxy limits its own clients).
 */
final class ConnectionsPerAddress implements Connection.Listener {
    private final int max;
    private final List<IPAddress> exempt;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** The peer of each counted connection: once closed, a connection no longer tells its peer. */
    private final Map<Connection, InetAddress> peers = new ConcurrentHashMap<>();

    ConnectionsPerAddress(int max, List<String> trustedProxies) {
        this.max = max;
        this.exempt = trustedProxies.stream().map(p -> IpRules.parseEntry(p.trim())).toList();
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress remote)) return;
        InetAddress real = remote.getAddress();
        InetAddress peer = ClientSource.of(real); // an IPv6 client counts as its /64
        peers.put(connection, peer);
        int count = open.merge(peer, 1, Integer::sum);
        if (count > max && !isExempt(real)) connection.close();
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress peer = peers.remove(connection);
        if (peer != null) open.computeIfPresent(peer, (a, n) -> n == 1 ? null : n - 1);
    }

    private boolean isExempt(InetAddress peer) {
        IPAddress address = IpRules.address(peer.getHostAddress());
        if (address == null) return false;
        for (IPAddress proxy : exempt) if (IpRules.contains(proxy, address)) return true;
        return false;
    }
}
