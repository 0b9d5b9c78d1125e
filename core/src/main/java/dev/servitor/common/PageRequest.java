// SPDX-License-Identifier: Apache-2.0
package dev.servitor.common;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A page size and a position: the sort key of the last item of the previous page, so paging
 * is by keyset and stays flat however deep the caller goes.
 *
 * <p>On the wire the position travels as an opaque token: base64url of the position's UTF-8
 * bytes followed by {@value #CHECK_BYTES} bytes of SHA-256 over a version tag and those bytes.
 * A token this server did not write (malformed, truncated, altered by a bit) is 400
 * {@code invalid_page_token} naming {@code page_token}, never an empty or shifted page. The
 * check is not keyed: a token is no capability, and someone who rebuilds one can only choose
 * where their own, already authorized, list starts.
 */
public record PageRequest(int size, String after) {
    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 1000;
    private static final int CHECK_BYTES = 8;
    private static final int MAX_POSITION_CHARS = 256;
    private static final byte[] VERSION = "servitor-page-token-v1\n".getBytes(StandardCharsets.UTF_8);

    public static PageRequest first(int size) {
        return new PageRequest(size, null);
    }

    /** Validates size and token; {@code size} null means the default, {@code token} null or empty the first page. */
    public static PageRequest of(Integer size, String token) {
        int s = size == null ? DEFAULT_SIZE : size;
        if (s < 1 || s > MAX_SIZE) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "page_size",
                "'page_size' must be between 1 and " + MAX_SIZE);
        }
        return new PageRequest(s, token == null || token.isEmpty() ? null : decode(token));
    }

    /** The token of the page after the item whose sort key is {@code position}. */
    public static String encode(String position) {
        byte[] p = position.getBytes(StandardCharsets.UTF_8);
        byte[] token = Arrays.copyOf(p, p.length + CHECK_BYTES);
        System.arraycopy(check(p), 0, token, p.length, CHECK_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    private static String decode(String token) {
        if (token.length() > 2 * MAX_POSITION_CHARS * 3) throw invalidToken(); // before decoding anything
        try {
            byte[] t = Base64.getUrlDecoder().decode(token);
            // one spelling per token: no padding, no stray bits in the last character
            if (t.length <= CHECK_BYTES || !Base64.getUrlEncoder().withoutPadding().encodeToString(t).equals(token)) {
                throw invalidToken();
            }
            byte[] p = Arrays.copyOf(t, t.length - CHECK_BYTES);
            byte[] check = Arrays.copyOfRange(t, p.length, t.length);
            if (!MessageDigest.isEqual(check, Arrays.copyOf(check(p), CHECK_BYTES))) throw invalidToken();
            String position = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(p)).toString();
            if (position.length() > MAX_POSITION_CHARS || position.indexOf('\0') >= 0) throw invalidToken();
            return position;
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw invalidToken();
        }
    }

    private static byte[] check(byte[] position) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(VERSION);
            return sha.digest(position);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    private static ServiceException invalidToken() {
        return ServiceException.field(ErrorCode.INVALID_PAGE_TOKEN, "page_token", "'page_token' is not a token this server issued");
    }
}
