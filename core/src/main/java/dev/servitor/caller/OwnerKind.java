// SPDX-License-Identifier: Apache-2.0
package dev.servitor.caller;

/** Who holds a key. */
public enum OwnerKind {
    SERVICE_ACCOUNT("service_account"), USER("user");

    private final String wire;

    OwnerKind(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    public static OwnerKind fromWire(String s) {
        for (OwnerKind k : values()) if (k.wire.equals(s)) return k;
        throw new IllegalArgumentException("unknown owner kind " + s);
    }
}
