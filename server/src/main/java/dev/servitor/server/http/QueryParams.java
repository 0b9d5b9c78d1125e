// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Typed query parameters; a malformed value is 400 naming the parameter. */
final class QueryParams {
    private static final Pattern RFC_3339_YEAR = Pattern.compile("[0-9]{4}-");

    private QueryParams() {}

    static PageRequest page(Context ctx) {
        String size = ctx.queryParam("page_size");
        Integer n = null;
        if (size != null) {
            try {
                n = Integer.parseInt(size);
            } catch (NumberFormatException e) {
                throw ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, "page_size", "'page_size' must be a whole number");
            }
        }
        return PageRequest.of(n, ctx.queryParam("page_token"));
    }

    static Boolean bool(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) return null;
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, name, "'" + name + "' must be true or false");
    }

    /**
     * An RFC 3339 time. Its year has four digits, as RFC 3339 says: java.time also reads
     * {@code +999999999-12-31T23:59:59Z}, which no store column (epoch milliseconds) can hold.
     */
    static Instant instant(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) return null;
        try {
            if (!RFC_3339_YEAR.matcher(v).lookingAt()) throw new DateTimeParseException("year", v, 0);
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw ServiceException.field(ErrorCode.INVALID_FIELD_TYPE, name, "'" + name + "' must be an RFC 3339 time such as 2026-01-31T12:00:00Z");
        }
    }

    static String string(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? null : v;
    }
}
