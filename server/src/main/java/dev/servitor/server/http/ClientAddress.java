// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.network.IpRules;
import inet.ipaddr.IPAddress;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.jetty.server.Request;

/**
 * The client address of a request, the one the network policies, the rate limits, the audit
 * log and last-used times see: the peer address, or, only when the peer is one of the
 * configured trusted proxies ({@code SERVITOR_TRUSTED_PROXIES}, addresses or CIDRs), the
 * right-most entry of {@code X-Forwarded-For} that is not itself a trusted proxy. Anyone can
 * write that header, so it is never believed from any other peer.
 */
final class ClientAddress {
    private static final String ATTRIBUTE = "servitor.client-address";
    private final List<IPAddress> trusted;

    ClientAddress(List<String> trustedProxies) {
        List<IPAddress> out = new ArrayList<>();
        for (String p : trustedProxies) {
            IPAddress b = IpRules.parseEntry(p.trim());
            if (b == null) throw new IllegalArgumentException("trusted proxy '" + p + "' is not an address or CIDR");
            out.add(b);
        }
        this.trusted = List.copyOf(out);
    }

    /** The client address of {@code ctx}, resolved once per request. */
    String of(Context ctx) {
        String known = ctx.attribute(ATTRIBUTE);
        if (known != null) return known;
        List<String> forwarded = trusted.isEmpty() ? List.of() : Collections.list(ctx.req().getHeaders("X-Forwarded-For"));
        String resolved = resolve(ctx.req().getRemoteAddr(), forwarded);
        ctx.attribute(ATTRIBUTE, resolved);
        return resolved;
    }

    /** The same for a request seen on Jetty's core API ({@link HotPath}). */
    String of(Request request) {
        List<String> forwarded = trusted.isEmpty() ? List.of() : request.getHeaders().getValuesList("X-Forwarded-For");
        return resolve(Request.getRemoteAddr(request), forwarded);
    }

    /** {@code forwarded}: every X-Forwarded-For header value, in order. */
    String resolve(String peer, List<String> forwarded) {
        IPAddress current = IpRules.address(peer);
        if (current == null) return peer; // not an IP peer (it never happens over TCP); nothing to believe
        if (!isTrusted(current)) return canonical(current);
        List<String> hops = new ArrayList<>();
        for (String header : forwarded) {
            for (String hop : header.split(",")) if (!hop.isBlank()) hops.add(hop.trim());
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            IPAddress hop = IpRules.address(hops.get(i));
            if (hop == null) break; // a garbled entry: stop at the last hop a trusted proxy vouched for
            current = hop;
            if (!isTrusted(hop)) break;
        }
        return canonical(current);
    }

    private boolean isTrusted(IPAddress a) {
        for (IPAddress t : trusted) if (IpRules.contains(t, a)) return true;
        return false;
    }

    private static String canonical(IPAddress a) {
        return a.withoutPrefixLength().toCanonicalString();
    }
}
