// SPDX-License-Identifier: Apache-2.0
package dev.servitor.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A page size and an opaque position. Tokens are base64url of the last sort key seen, so
 * paging is by keyset and stays flat however deep the caller goes.
 */
public record PageRequest(int size, String after) {
    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 1000;

    public static PageRequest first(int size) {
        return new PageRequest(size, null);
    }

    /** Validates size and token; {@code size} null means the default. */
    public static PageRequest of(Integer size, String token) {
        int s = size == null ? DEFAULT_SIZE : size;
        if (s < 1 || s > MAX_SIZE) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "page_size",
                "'page_size' must be between 1 and " + MAX_SIZE);
        }
        return new PageRequest(s, token == null || token.isEmpty() ? null : decode(token));
    }

    public static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            // a NUL (base64 "AA") is no sort key we wrote, and PostgreSQL refuses it in text
            if (s.isEmpty() || s.length() > 256 || s.indexOf('\0') >= 0) throw new IllegalArgumentException();
            return s;
        } catch (IllegalArgumentException e) {
            throw ServiceException.field(ErrorCode.INVALID_PAGE_TOKEN, "page_token", "'page_token' is not a token this server issued");
        }
    }
}
