// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protobuf message read without its schema: each field number with its values as they are on
 * the wire, a number (varint, fixed32, fixed64) or bytes (length-delimited: a string, bytes or a
 * nested message, which the reader of the field knows). Enough to read what an OTLP exporter sends.
 */
final class Protobuf {
    private final Map<Integer, List<Object>> fields = new LinkedHashMap<>();

    static Protobuf parse(byte[] b) {
        Protobuf m = new Protobuf();
        int[] at = {0};
        while (at[0] < b.length) {
            long tag = varint(b, at);
            int field = (int) (tag >>> 3);
            Object value = switch ((int) (tag & 7)) {
                case 0 -> varint(b, at);
                case 1 -> fixed(b, at, 8);
                case 5 -> fixed(b, at, 4);
                case 2 -> {
                    int length = (int) varint(b, at);
                    byte[] bytes = java.util.Arrays.copyOfRange(b, at[0], at[0] + length);
                    at[0] += length;
                    yield bytes;
                }
                default -> throw new IllegalArgumentException("wire type " + (tag & 7) + " at byte " + at[0]);
            };
            m.fields.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
        }
        return m;
    }

    boolean has(int field) {
        return fields.containsKey(field);
    }

    List<Protobuf> messages(int field) {
        return fields.getOrDefault(field, List.of()).stream().map(v -> parse((byte[]) v)).toList();
    }

    Protobuf message(int field) {
        return has(field) ? parse((byte[]) fields.get(field).get(0)) : null;
    }

    byte[] bytes(int field) {
        return has(field) ? (byte[]) fields.get(field).get(0) : new byte[0];
    }

    String string(int field) {
        return new String(bytes(field), StandardCharsets.UTF_8);
    }

    long number(int field) {
        return has(field) ? (Long) fields.get(field).get(0) : 0;
    }

    private static long varint(byte[] b, int[] at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[at[0]++];
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) return v;
        }
    }

    private static long fixed(byte[] b, int[] at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) v |= (long) (b[at[0]++] & 0xff) << (8 * i);
        return v;
    }
}
