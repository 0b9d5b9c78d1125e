// SPDX-License-Identifier: Apache-2.0
package dev.servitor.network;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A policy compiled for matching: its allow and block lists as address blocks. Entries are
 * single IPv4/IPv6 addresses or CIDRs ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). Wildcards,
 * ranges, masks, host names, an IPv4 part with a leading zero ({@code 010.0.0.1}: octal to some
 * readers), a CIDR with host bits set ({@code 10.0.0.1/8}: one address, or the block?) and an IPv6
 * zone ({@code fe80::1%eth0}: an interface of one host) are refused, so an entry always means
 * what it reads as. Entries stored before those last three were refused still match as before
 * (a CIDR with host bits as its whole block).
 */
public final class IpRules {
    /** At most this many entries per list: a policy is read on the hot path. */
    public static final int MAX_ENTRIES = 1000;

    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
        .allowEmpty(false).allowAll(false).allowSingleSegment(false).allowMask(false).allowPrefix(true)
        .allowWildcardedSeparator(false).allow_inet_aton(false)
        .setRangeOptions(IPAddressStringParameters.RangeParameters.NO_RANGE)
        .toParams();
    /** What a new entry may be: {@link #STRICT}, and no leading zeros in IPv4 parts, no IPv6 zone. */
    private static final IPAddressStringParameters NEW_ENTRY = newEntryParameters();

    private static final Pattern LEADING_ZERO_PREFIX = Pattern.compile("/0\\d");

    private static IPAddressStringParameters newEntryParameters() {
        IPAddressStringParameters.Builder b = STRICT.toBuilder();
        b.getIPv4AddressParametersBuilder().allowLeadingZeros(false);
        b.getIPv6AddressParametersBuilder().allowZone(false).getEmbeddedIPv4AddressParametersBuilder().allowLeadingZeros(false);
        return b.toParams();
    }

    private final List<IPAddress> allowed;
    private final List<IPAddress> blocked;

    private IpRules(List<IPAddress> allowed, List<IPAddress> blocked) {
        this.allowed = allowed;
        this.blocked = blocked;
    }

    public static IpRules of(NetworkPolicy p) {
        return new IpRules(blocks("allowed_ips", p.allowedIps()), blocks("blocked_ips", p.blockedIps()));
    }

    /**
     * Validates a list of entries; an invalid one is a 422 {@code invalid_ip} naming it as
     * {@code field[index]}. Returns the entries trimmed.
     */
    public static List<String> validate(String field, List<String> entries) {
        if (entries == null) return List.of();
        if (entries.size() > MAX_ENTRIES) {
            throw ServiceException.field(ErrorCode.INVALID_IP, field, "'" + field + "' may hold at most " + MAX_ENTRIES + " entries");
        }
        List<String> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            String e = entries.get(i) == null ? "" : entries.get(i).trim();
            String refusal = refusal(e);
            if (refusal != null) {
                String shown = e.length() > 64 ? e.substring(0, 64) + "…" : e;
                throw ServiceException.field(ErrorCode.INVALID_IP, field + "[" + i + "]",
                    "'" + field + "[" + i + "]' ('" + shown + "') " + refusal);
            }
            out.add(e);
        }
        return out;
    }

    /** Why {@code entry} may not be a new policy entry, or null when it may. */
    private static String refusal(String entry) {
        if (entry.indexOf('%') >= 0) return "has an IPv6 zone, which names an interface of one host; leave it out";
        IPAddress a = LEADING_ZERO_PREFIX.matcher(entry).find() ? null : parse(entry, NEW_ENTRY);
        if (a == null) {
            return block(entry) != null ? "has a leading zero, which some read as octal; leave it out"
                : "is not an IPv4 or IPv6 address or CIDR";
        }
        if (a.isPrefixed() && !a.isPrefixBlock()) {
            return "has host bits set; write the block, " + a.toPrefixBlock().toCanonicalString() + ", or the address alone";
        }
        return null;
    }

    /** The address, or null if {@code ip} is not a plain IPv4 or IPv6 address. IPv4-mapped IPv6 reads as IPv4. */
    public static IPAddress address(String ip) {
        if (ip == null) return null;
        String s = ip.trim();
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        IPAddress a = block(s);
        if (a == null || a.isPrefixed()) return null;
        return a.isIPv6() && a.toIPv6().isIPv4Mapped() ? a.toIPv6().getEmbeddedIPv4Address() : a;
    }

    /** True if {@code ip} is a plain IPv4 or IPv6 address. */
    public static boolean isAddress(String ip) {
        return address(ip) != null;
    }

    /** True if {@code entry} is an IPv4/IPv6 address or CIDR, as a policy or the trusted proxies list holds. */
    public static boolean isEntry(String entry) {
        return block(entry) != null;
    }

    /** The block an address or CIDR stands for, or null; for matching outside policies (trusted proxies). */
    public static IPAddress parseEntry(String entry) {
        return block(entry);
    }

    /** True if {@code address} lies in {@code block} (same IP version). */
    public static boolean contains(IPAddress block, IPAddress address) {
        return block.getIPVersion() == address.getIPVersion() && block.contains(address);
    }

    /** An address or CIDR as the block it stands for, or null if it is neither. */
    static IPAddress block(String entry) {
        IPAddress a = parse(entry, STRICT);
        return a != null && a.isPrefixed() ? a.toPrefixBlock() : a;
    }

    /** An address or CIDR as written (a CIDR keeps its host bits), or null. */
    private static IPAddress parse(String entry, IPAddressStringParameters parameters) {
        if (entry == null || entry.isEmpty() || entry.length() > 64 || entry.indexOf(',') >= 0) return null;
        try {
            IPAddress a = new IPAddressString(entry, parameters).toAddress();
            if (a == null || a.isMultiple() && !a.isPrefixBlock() && !a.isPrefixed()) return null;
            return a;
        } catch (AddressStringException | RuntimeException e) {
            return null;
        }
    }

    private static List<IPAddress> blocks(String field, List<String> entries) {
        List<IPAddress> out = new ArrayList<>(entries.size());
        for (String e : entries) {
            IPAddress b = block(e);
            if (b != null) out.add(b);
        }
        return List.copyOf(out);
    }

    /** Refused if blocked, or if there is an allow list and the address is on none of it. Blocked wins. */
    public boolean allows(IPAddress address) {
        for (IPAddress b : blocked) if (contains(b, address)) return false;
        if (allowed.isEmpty()) return true;
        for (IPAddress a : allowed) if (contains(a, address)) return true;
        return false;
    }

}
