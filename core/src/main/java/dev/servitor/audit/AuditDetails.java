// SPDX-License-Identifier: Apache-2.0
package dev.servitor.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Event details as canonical JSON: one flat object, keys sorted, string (or null) values. The
 * same bytes are hashed and stored, so a stored event re-hashes to the same value.
 */
public final class AuditDetails {
    private AuditDetails() {}

    public static String toJson(Map<String, String> details) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(details).entrySet()) {
            if (!first) sb.append(',');
            first = false;
            quote(sb, e.getKey());
            sb.append(':');
            if (e.getValue() == null) sb.append("null"); else quote(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    /** Reads what {@link #toJson} wrote. */
    public static Map<String, String> fromJson(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] pos = {1};
        skipSpace(json, pos);
        while (json.charAt(pos[0]) != '}') {
            String key = readString(json, pos);
            pos[0]++; // ':'
            String value;
            if (json.startsWith("null", pos[0])) {
                value = null;
                pos[0] += 4;
            } else {
                value = readString(json, pos);
            }
            out.put(key, value);
            if (json.charAt(pos[0]) == ',') pos[0]++;
        }
        return out;
    }

    private static void skipSpace(String s, int[] pos) {
        while (Character.isWhitespace(s.charAt(pos[0]))) pos[0]++;
    }

    private static String readString(String s, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int i = pos[0] + 1; // opening quote
        while (s.charAt(i) != '"') {
            char c = s.charAt(i);
            if (c == '\\') {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> sb.append(n);
                }
            } else {
                sb.append(c);
            }
            i++;
        }
        pos[0] = i + 1;
        return sb.toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c)); else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
