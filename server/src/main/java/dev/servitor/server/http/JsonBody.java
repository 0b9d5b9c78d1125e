// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A request's JSON object, read with a size cap, with typed accessors that answer 400 naming
 * the field when a value has the wrong type. An empty body reads as {@code {}}, so action
 * endpoints accept none. Unknown members are refused (400 {@code unknown_field}), so a typo
 * never silently does nothing. JSON is read strictly ({@link Json}, {@link InputText}), and
 * every string and list is bounded (422 naming the field), so no field is unbounded.
 */
public final class JsonBody {
    public static final int MAX_BYTES = 1024 * 1024;
    /** The longest string a field takes unless it says otherwise: a description's 1024 characters, the longest field of the contract. */
    public static final int MAX_STRING = 1024;
    /** The most items of a list field (as many as a network policy's entries). */
    public static final int MAX_ITEMS = 1000;
    private final ObjectNode node;
    private final String path;

    private JsonBody(ObjectNode node) {
        this(node, "");
    }

    private JsonBody(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    public static JsonBody read(Context ctx, Set<String> allowed) {
        return parse(readBounded(ctx), allowed);
    }

    /** The same for a body already read ({@link HotPath}). */
    static JsonBody parse(byte[] bytes, Set<String> allowed) {
        String text = utf8(bytes);
        ObjectNode node;
        if (text.isBlank()) {
            node = Json.MAPPER.createObjectNode();
        } else {
            JsonNode parsed;
            try {
                parsed = Json.MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw new ServiceException(ErrorCode.MALFORMED_REQUEST, notJson(e), "body", null);
            }
            if (!(parsed instanceof ObjectNode obj)) {
                throw new ServiceException(ErrorCode.MALFORMED_REQUEST, "The body must be a JSON object", "body", null);
            }
            node = obj;
        }
        InputText.check(node);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ServiceException.field(ErrorCode.UNKNOWN_FIELD, f, "Unknown field '" + f + "'; allowed: " + String.join(", ", allowed));
            }
        }
        return new JsonBody(node);
    }

    /**
     * The body as text: UTF-8 only (RFC 8259 section 8.1). Jackson alone would guess UTF-16 or
     * UTF-32 from the first bytes; a byte order mark is refused as well.
     */
    private static String utf8(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ServiceException(ErrorCode.MALFORMED_REQUEST, "The body is not valid UTF-8", "body", null);
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw new ServiceException(ErrorCode.MALFORMED_REQUEST, "The body must not start with a byte order mark", "body", null);
        }
        return text;
    }

    /** What is wrong with a body Jackson refused, in words for the caller (a limit has no location). */
    private static String notJson(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return "The body is beyond the JSON limits: nesting deeper than " + Json.MAX_DEPTH
                + ", a number of more than 100 digits or a member name of more than 1000 characters";
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String what = message.startsWith("Duplicate field") ? "A member name appears twice in one object"
            : message.startsWith("Trailing token") ? "There is data after the JSON value"
            : "The body is not valid JSON";
        JsonLocation at = e.getLocation();
        return at == null ? what : what + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /**
     * Reads at most {@link #MAX_BYTES}; more is 413, whatever Content-Length claimed. A body a
     * little over the limit is read to its end (up to {@link #DRAIN_LIMIT}) before answering,
     * so that the client, still uploading, receives the 413 instead of a reset connection.
     */
    static byte[] readBounded(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > MAX_BYTES) {
                if (declared <= DRAIN_LIMIT) drain(in);
                throw tooLarge();
            }
            BodyMemory.ensure(ctx, (int) declared);
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
                BodyMemory.ensure(ctx, Math.min(out.size(), MAX_BYTES)); // a body without Content-Length, as it arrives
                if (out.size() > MAX_BYTES) {
                    drain(in);
                    throw tooLarge();
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new ServiceException(ErrorCode.MALFORMED_REQUEST, "The body could not be read", "body", null);
        }
    }

    private static final long DRAIN_LIMIT = 4L * MAX_BYTES;

    /**
     * Reads and drops what is left of the body of a request answered without reading it (a 401
     * before the route, say): Jetty would close the connection on the unread bytes, and a client
     * still sending them would see a reset instead of the answer. At most {@link #MAX_BYTES}, the
     * most any route reads; a body declared larger is left to the close.
     */
    static void discardUnread(Context ctx) {
        if (ctx.req().getContentLengthLong() > MAX_BYTES) return;
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while (total <= MAX_BYTES && (n = in.read(buf)) != -1) total += n;
        } catch (IOException | IllegalStateException e) {
            // the body was taken as a reader, or the connection is gone: nothing to save
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while (total < DRAIN_LIMIT && (n = in.read(buf)) != -1) total += n;
    }

    private static ServiceException tooLarge() {
        return new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE, "The body is larger than 1 MiB", "body", null);
    }

    public boolean has(String field) {
        return node.has(field);
    }

    /** The names of the members present (JSON null included). */
    public Set<String> names() {
        Set<String> out = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The raw member (for nested objects, which the caller validates), or null when absent. */
    public JsonNode node(String field) {
        return node.get(field);
    }

    public boolean isNull(String field) {
        return node.has(field) && node.get(field).isNull();
    }

    /** The string, or null when absent or JSON null; longer than {@link #MAX_STRING} characters is 422. */
    public String string(String field) {
        return string(field, MAX_STRING);
    }

    /** The same for a field that may be longer (an SQL script, a presented credential). */
    public String string(String field, int maxChars) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw wrongType(field, "a string");
        return bounded(path + field, v.textValue(), maxChars);
    }

    private static String bounded(String name, String value, int maxChars) {
        if (value.length() > maxChars) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, name, "'" + name + "' must be at most " + maxChars + " characters");
        }
        return value;
    }

    public Boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) throw wrongType(field, "true or false");
        return v.booleanValue();
    }

    /** A whole number, or null when absent or JSON null. */
    public Long integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(field, "a whole number");
        return v.longValue();
    }

    /** A whole number, also accepted as a string of digits (MotherDuck sends {@code "ttl": "300"}). */
    public Long integerOrDigits(String field) {
        JsonNode v = node.get(field);
        if (v != null && v.isTextual()) {
            String s = v.textValue();
            if (!s.matches("-?[0-9]{1,18}")) throw wrongType(field, "a whole number");
            return Long.parseLong(s);
        }
        return integer(field);
    }

    /** A nested object (absent: an empty one), with its own allowed members; errors name {@code field.member}. */
    public JsonBody object(String field, Set<String> allowed) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return new JsonBody(Json.MAPPER.createObjectNode(), path + field + ".");
        if (!(v instanceof ObjectNode obj)) throw wrongType(field, "an object");
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                String name = path + field + "." + f;
                throw ServiceException.field(ErrorCode.UNKNOWN_FIELD, name, "Unknown field '" + name + "'");
            }
        }
        return new JsonBody(obj, path + field + ".");
    }

    /** A whole number that fits an int, or null. */
    public Integer intValue(String field) {
        Long v = integer(field);
        if (v == null) return null;
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw wrongType(field, "a whole number");
        return v.intValue();
    }

    /** An array of strings, or null; more than {@link #MAX_ITEMS} items, or an item longer than {@link #MAX_STRING}, is 422. */
    public List<String> strings(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw wrongType(field, "an array of strings");
        String name = path + field;
        if (v.size() > MAX_ITEMS) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, name, "'" + name + "' must have at most " + MAX_ITEMS + " items");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) throw wrongType(field, "an array of strings");
            out.add(bounded(name, e.textValue(), MAX_STRING));
        }
        return out;
    }

    private ServiceException wrongType(String field, String expected) {
        String name = path + field;
        return ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, name, "'" + name + "' must be " + expected);
    }
}
