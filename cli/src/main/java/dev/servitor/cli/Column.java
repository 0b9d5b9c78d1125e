// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import java.util.Map;
import java.util.function.Function;

/** A table column: an upper-case header and how to read its cell from an API object. */
public record Column(String header, Function<Map<String, Object>, Object> value) {
    /** The column {@code HEADER} showing the field of that name (upper-cased, as {@code key_count} → {@code KEY_COUNT}). */
    public static Column field(String field) {
        return new Column(field.toUpperCase(java.util.Locale.ROOT), o -> o.get(field));
    }

    public static Column field(String header, String field) {
        return new Column(header, o -> o.get(field));
    }

    /** A field of a nested object, as {@code principal.name}. */
    @SuppressWarnings("unchecked")
    public static Column nested(String header, String object, String field) {
        return new Column(header, o -> o.get(object) instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(field) : null);
    }
}
