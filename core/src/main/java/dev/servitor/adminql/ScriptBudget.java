// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * What one script may hold in memory. Its results: at most {@code maxRows} rows and
 * {@code maxBytes} bytes (an estimate of their JSON), counted as rows are built, so that a SHOW
 * stops reading as soon as the script passes its bound instead of after building everything.
 * Its text: {@link #reserveScript} before the body is read. Both are taken from a pool shared
 * by every script in progress on the node, so that many parallel scripts cannot exhaust the
 * heap either; {@link #close()} gives them back once the answer is written.
 */
public final class ScriptBudget implements AutoCloseable {
    /**
     * Heap a script holds per byte of its body while it is read and parsed: the body, its text,
     * each statement's text and the values in the statements (measured: about 4 for ASCII).
     */
    public static final int SCRIPT_BYTES_FACTOR = 5;

    private final int maxRows;
    private final int maxBytes;
    private final Semaphore shared;
    private int rows;
    private int bytes;
    private int taken;

    ScriptBudget(int maxRows, int maxBytes, Semaphore shared) {
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.shared = shared;
    }

    /** Takes what reading and parsing a body of {@code bodyBytes} holds, or refuses with 503 when the shared pool is spent. */
    public void reserveScript(int bodyBytes) {
        take(bodyBytes * SCRIPT_BYTES_FACTOR);
    }

    /** Counts a row of a SHOW, or refuses it: 413 past this script's bound, 503 when the shared pool is spent. */
    List<Object> charge(List<Object> row) {
        int size = jsonBytes(row);
        if (rows + 1 > maxRows || bytes + size > maxBytes) {
            throw new ServiceException(ErrorCode.RESULT_TOO_LARGE, "The results of this script exceed " + maxRows
                + " rows or " + maxBytes + " bytes; split it into smaller scripts, or read the list page by page through the REST API");
        }
        take(size);
        rows++;
        bytes += size;
        return row;
    }

    /**
     * Counts a row that must reach the caller, such as a key shown once: never refused. Such
     * rows come one per statement, and statements per script are bounded.
     */
    List<Object> count(List<Object> row) {
        rows++;
        bytes += jsonBytes(row);
        return row;
    }

    private void take(int size) {
        if (!shared.tryAcquire(size)) {
            throw new ServiceException(ErrorCode.UNAVAILABLE, "The server is running too many large SQL scripts at once; retry in a moment");
        }
        taken += size;
    }

    @Override
    public void close() {
        shared.release(taken);
        taken = 0;
    }

    /** About the size of the row as a JSON array: UTF-8 bytes plus quotes, escapes and separators. */
    static int jsonBytes(List<Object> row) {
        int n = 2;
        for (Object v : row) n += 1 + valueBytes(v);
        return n;
    }

    private static int valueBytes(Object v) {
        if (v == null) return 4;
        if (v instanceof Instant) return 32;
        if (!(v instanceof String s)) return v.toString().length();
        int n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x20 ? 6 : c == '"' || c == '\\' ? 2 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return n;
    }
}
