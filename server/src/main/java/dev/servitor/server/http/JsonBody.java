// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A request's JSON object, read with a size cap, with typed accessors that answer 400 naming
 * the field when a value has the wrong type. An empty body reads as {@code {}}, so action
 * endpoints accept none. Unknown members are refused (400 {@code unknown_field}), so a typo
 * never silently does nothing.
 */
public final class JsonBody {
    public static final int MAX_BYTES = 1024 * 1024;
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
        ObjectNode node;
        if (isBlank(bytes)) {
            node = Json.MAPPER.createObjectNode();
        } else {
            JsonNode parsed;
            try {
                parsed = Json.MAPPER.readTree(bytes);
            } catch (JsonProcessingException e) {
                throw new ServiceException(ErrorCode.MALFORMED_REQUEST, "The body is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", "body", null);
            } catch (IOException e) {
                throw new ServiceException(ErrorCode.MALFORMED_REQUEST, "The body could not be read", "body", null);
            }
            if (!(parsed instanceof ObjectNode obj)) {
                throw new ServiceException(ErrorCode.MALFORMED_REQUEST, "The body must be a JSON object", "body", null);
            }
            node = obj;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ServiceException.field(ErrorCode.UNKNOWN_FIELD, f, "Unknown field '" + f + "'; allowed: " + String.join(", ", allowed));
            }
        }
        return new JsonBody(node);
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

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while (total < DRAIN_LIMIT && (n = in.read(buf)) != -1) total += n;
    }

    private static ServiceException tooLarge() {
        return new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE, "The body is larger than 1 MiB", "body", null);
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) if (!Character.isWhitespace(b)) return false;
        return true;
    }

    public boolean has(String field) {
        return node.has(field);
    }

    /** The raw member (for nested objects, which the caller validates), or null when absent. */
    public JsonNode node(String field) {
        return node.get(field);
    }

    public boolean isNull(String field) {
        return node.has(field) && node.get(field).isNull();
    }

    /** The string, or null when absent or JSON null. */
    public String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw wrongType(field, "a string");
        return v.textValue();
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
        if (v == null || v.isNull()) return new JsonBody(Json.MAPPER.createObjectNode());
        if (!(v instanceof ObjectNode obj)) throw wrongType(field, "an object");
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ServiceException.field(ErrorCode.UNKNOWN_FIELD, field + "." + f, "Unknown field '" + field + "." + f + "'");
            }
        }
        return new JsonBody(obj, field + ".");
    }

    /** A whole number that fits an int, or null. */
    public Integer intValue(String field) {
        Long v = integer(field);
        if (v == null) return null;
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw wrongType(field, "a whole number");
        return v.intValue();
    }

    public List<String> strings(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw wrongType(field, "an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) throw wrongType(field, "an array of strings");
            out.add(e.textValue());
        }
        return out;
    }

    private ServiceException wrongType(String field, String expected) {
        String name = path + field;
        return ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, name, "'" + name + "' must be " + expected);
    }
}
