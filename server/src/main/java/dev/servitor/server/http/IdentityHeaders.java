// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.caller.Caller;
import dev.servitor.caller.Principal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code X-Servitor-*} headers {@code /v1/forward-auth} answers a gateway with, for it to
 * pass on to the upstream: who the verified credential stands for. Every value is visible ASCII:
 * the names, ids and permissions they come from are validated to that already, and anything else
 * (a CR or LF above all, which would let a value write another header) is percent-encoded here,
 * so a header can never be split whatever a store holds.
 */
final class IdentityHeaders {
    static final String PREFIX = "X-Servitor-";
    static final String PRINCIPAL_ID = PREFIX + "Principal-Id";
    static final String PRINCIPAL_NAME = PREFIX + "Principal-Name";
    static final String PRINCIPAL_TYPE = PREFIX + "Principal-Type";
    static final String ORG = PREFIX + "Org";
    static final String CREDENTIAL_TYPE = PREFIX + "Credential-Type";
    static final String CREDENTIAL_KIND = PREFIX + "Credential-Kind";
    static final String PERMISSIONS = PREFIX + "Permissions";
    static final String ACTOR_ID = PREFIX + "Actor-Id";
    /** Every name this class may write, in the order the gateway examples copy them. */
    static final List<String> NAMES =
        List.of(PRINCIPAL_ID, PRINCIPAL_NAME, PRINCIPAL_TYPE, ORG, CREDENTIAL_TYPE, CREDENTIAL_KIND, PERMISSIONS, ACTOR_ID);

    private IdentityHeaders() {}

    record Header(String name, String value) {}

    /**
     * The headers of {@code c}, every one of {@link #NAMES}: one that does not apply (no actor, a
     * token's key type) is sent empty rather than left out, because a gateway copying an absent
     * header may write something else in its place (Caddy 2.6's {@code copy_headers} writes its
     * placeholder's name), while every gateway passes an empty value on as empty or not at all.
     */
    static List<Header> of(Caller c) {
        Principal p = c.principal();
        List<Header> out = new ArrayList<>(NAMES.size());
        add(out, PRINCIPAL_ID, p.id());
        add(out, PRINCIPAL_NAME, p.name());
        add(out, PRINCIPAL_TYPE, p.type().wire());
        add(out, ORG, p.orgName());
        add(out, CREDENTIAL_TYPE, c.credential() == null ? null : c.credential().type());
        add(out, CREDENTIAL_KIND, c.credential() == null ? null : c.credential().kind().wire());
        add(out, PERMISSIONS, String.join(",", c.permissions().stream().sorted().toList()));
        add(out, ACTOR_ID, c.actor() == null ? null : c.actor().id());
        return out;
    }

    private static void add(List<Header> out, String name, String value) {
        out.add(new Header(name, value == null ? "" : safe(value)));
    }

    /** {@code value} with every byte outside visible ASCII, and {@code %} itself, percent-encoded (UTF-8). */
    static String safe(String value) {
        boolean plain = true;
        for (int i = 0; i < value.length() && plain; i++) plain = visible(value.charAt(i));
        if (plain) return value;
        StringBuilder b = new StringBuilder(value.length() + 16);
        for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
            int u = x & 0xff;
            if (visible((char) u)) b.append((char) u);
            else b.append('%').append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
                .append(Character.toUpperCase(Character.forDigit(u & 0xf, 16)));
        }
        return b.toString();
    }

    private static boolean visible(char ch) {
        return ch > 0x20 && ch < 0x7f && ch != '%';
    }
}
