// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The text a request brings (JSON strings and member names, query, path and form parameters)
 * is refused at the edge when no store could keep it faithfully: a NUL character (PostgreSQL
 * refuses it in text, with an error that once logged every bound value) is 422, a lone UTF-16
 * surrogate (not a Unicode character; it used to be stored as {@code ?}) is 400 as the
 * contract's strict JSON asks. Either names the field.
 */
final class InputText {
    private InputText() {}

    /** Refuses {@code value} of {@code field} if it holds a NUL or a lone surrogate; null passes. */
    static void check(String field, String value) {
        if (value == null) return;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                throw ServiceException.field(ErrorCode.INVALID_VALUE, field, "'" + field + "' must not contain a NUL character (U+0000)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++; // a pair: one character outside the BMP
            } else if (Character.isSurrogate(c)) {
                throw ServiceException.field(ErrorCode.MALFORMED_REQUEST, field,
                    "'" + field + "' contains a lone surrogate (\\u" + Integer.toHexString(c) + "), which is not a character");
            }
        }
    }

    /** The path parameters and query parameters (names and values) of a matched request. */
    static void checkParameters(Context ctx) {
        ctx.pathParamMap().forEach(InputText::check);
        ctx.queryParamMap().forEach((name, values) -> {
            check(printable(name), name);
            for (String v : values) check(name, v);
        });
    }

    /** Every member name and string of a parsed body; a field is named by its path, e.g. {@code config.read_write.instance_size}. */
    static void check(JsonNode body) {
        check("", body);
    }

    private static void check(String path, JsonNode node) {
        if (node.isTextual()) {
            check(path.isEmpty() ? "body" : path, node.textValue());
        } else if (node.isArray()) {
            for (JsonNode item : node) check(path, item);
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                String name = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
                check(printable(name), member.getKey());
                check(name, member.getValue());
            }
        }
    }

    /** The name with NUL and surrogates written as escapes, so that a problem document can name it. */
    private static String printable(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            if (c == '\0' || Character.isSurrogate(c)) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
