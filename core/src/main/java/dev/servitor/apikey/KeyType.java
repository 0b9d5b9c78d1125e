// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

/** MotherDuck's token types: a gateway routes on it (read-write or read-scaling compute). */
public enum KeyType {
    READ_WRITE("read_write"), READ_SCALING("read_scaling");

    private final String wire;

    KeyType(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    /** Null if {@code s} names no type. */
    public static KeyType fromWire(String s) {
        for (KeyType t : values()) if (t.wire.equals(s)) return t;
        return null;
    }
}
