// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.key;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The per-key restriction options of {@code key create} and {@code key update} (docs/cli.md), as
 * the API's {@code restrictions} object. The short forms are read here ({@code --rate 100/60s},
 * {@code --refill 1000/day}); ranges are the server's to judge, and its refusal names the field.
 */
final class RestrictionOptions {
    private static final Pattern RATE = Pattern.compile("([0-9]{1,12})/([0-9]{1,9})?([smhd])");
    private static final Pattern REFILL = Pattern.compile("([0-9]{1,15})/(day|month)");

    @Option(names = "--permission", paramLabel = "P", description = "Only this permission (repeatable); intersected with the owner's.")
    List<String> permissions;

    @Option(names = "--allow-ip", paramLabel = "CIDR", description = "Only from this address or CIDR (repeatable).")
    List<String> allowedIps;

    @Option(names = "--rate", paramLabel = "N/PERIOD", converter = RateConverter.class,
        description = "At most N uses per period: 100/60s, 10/m, 5000/1h, 100/1d.")
    Member rate;

    @Option(names = "--uses", paramLabel = "N", description = "Remaining uses (credits).")
    Long uses;

    @Option(names = "--refill", paramLabel = "N/day|N/month", converter = RefillConverter.class,
        description = "Set the remaining uses back to N every day or month (needs --uses, or uses already set).")
    Member refill;

    /** The members given, in the API's names; empty when none was. */
    Map<String, Object> members() {
        Map<String, Object> r = new LinkedHashMap<>();
        if (permissions != null) r.put("permissions", permissions);
        if (allowedIps != null) r.put("allowed_ips", allowedIps);
        if (rate != null) r.put("rate_limit", rate.json());
        if (uses != null) r.put("remaining_uses", uses);
        if (refill != null) r.put("refill", refill.json());
        return r;
    }

    /** A nested member as the API takes it (a record, not a Map: picocli reads a Map option as KEY=VALUE pairs). */
    record Member(Map<String, Object> json) {}

    static final class RateConverter implements ITypeConverter<Member> {
        @Override
        public Member convert(String value) {
            Matcher m = RATE.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) throw new TypeConversionException("'" + value + "' is not a rate such as 100/60s (s, m, h or d)");
            long count = m.group(2) == null ? 1 : Long.parseLong(m.group(2));
            long unit = switch (m.group(3)) {
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                default -> 86400;
            };
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("limit", Long.parseLong(m.group(1)));
            r.put("period_seconds", count * unit);
            return new Member(r);
        }
    }

    static final class RefillConverter implements ITypeConverter<Member> {
        @Override
        public Member convert(String value) {
            Matcher m = REFILL.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) throw new TypeConversionException("'" + value + "' is not a refill such as 1000/day or 1000/month");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("amount", Long.parseLong(m.group(1)));
            r.put("interval", m.group(2));
            return new Member(r);
        }
    }

}
