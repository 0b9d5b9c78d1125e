// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON in and out through nimbus-jose-jwt, and typed reads of parsed objects. Objects keep the server's field order. */
public final class Json {
    private Json() {}

    /** Parses a JSON document: a {@code Map}, a {@code List}, a string, a number, a boolean or null. */
    public static Object parse(String text) {
        if (text == null || text.isBlank()) return null;
        String t = text.strip();
        try {
            if (t.startsWith("{")) return JSONObjectUtils.parse(t);
            if (t.startsWith("[")) return JSONArrayUtils.parse(t);
            return JSONObjectUtils.parse("{\"v\":" + t + "}").get("v");
        } catch (ParseException e) {
            throw new IllegalArgumentException("not JSON: " + abbreviate(t), e);
        }
    }

    /** Serializes maps, lists, strings, numbers, booleans and null. */
    public static String write(Object value) {
        if (value instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked") Map<String, ?> map = (Map<String, ?>) m;
            return JSONObjectUtils.toJSONString(map);
        }
        Map<String, Object> wrapper = new LinkedHashMap<>();
        wrapper.put("v", value);
        String s = JSONObjectUtils.toJSONString(wrapper);
        return s.substring("{\"v\":".length(), s.length() - 1);
    }

    static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    static String string(Map<String, Object> o, String key) {
        Object v = o == null ? null : o.get(key);
        return v == null ? null : v.toString();
    }

    static boolean bool(Map<String, Object> o, String key) {
        return o != null && Boolean.TRUE.equals(o.get(key));
    }

    static Long number(Map<String, Object> o, String key) {
        Object v = o == null ? null : o.get(key);
        return v instanceof Number n ? n.longValue() : null;
    }

    static Instant instant(Map<String, Object> o, String key) {
        String s = string(o, key);
        return s == null ? null : Instant.parse(s);
    }

    static List<String> strings(Map<String, Object> o, String key) {
        Object v = o == null ? null : o.get(key);
        if (!(v instanceof List<?> l)) return List.of();
        List<String> out = new ArrayList<>();
        for (Object x : l) out.add(x == null ? null : x.toString());
        return Collections.unmodifiableList(out);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> o, String key) {
        Object v = o == null ? null : o.get(key);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Map<String, Object> o, String key) {
        Object v = o == null ? null : o.get(key);
        if (!(v instanceof List<?> l)) return List.of();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object x : l) if (x instanceof Map<?, ?> m) out.add((Map<String, Object>) m);
        return out;
    }

    static Map<String, Object> frozen(Map<String, Object> o) {
        return o == null ? Map.of() : Collections.unmodifiableMap(o);
    }
}
