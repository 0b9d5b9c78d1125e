// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.config;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per line ({@code SERVITOR_LOG_FORMAT=json}), for log shippers:
 * {@code {"time","level","logger","thread","message","exception"?,...MDC}}. {@code time} is UTC
 * ISO-8601; MDC entries (e.g. {@code trace_id}, {@code span_id}) become top-level fields unless they
 * would shadow one of the fixed ones. Only what the code logs is written: requests' headers and
 * bodies never reach a log line, in either format. Not Logback's own {@code JsonEncoder}: that one
 * writes the logger context and a sequence number with every event, epoch-millisecond times and a
 * stack trace as an array of frame objects, which shippers then have to reshape.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] NONE = new byte[0];
    private static final java.util.Set<String> FIXED = java.util.Set.of("time", "level", "logger", "thread", "message", "exception");

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"time\":");
        string(out, Instant.ofEpochMilli(event.getTimeStamp()).toString());
        out.append(",\"level\":");
        string(out, event.getLevel().toString());
        out.append(",\"logger\":");
        string(out, event.getLoggerName());
        out.append(",\"thread\":");
        string(out, event.getThreadName());
        out.append(",\"message\":");
        string(out, event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            out.append(",\"exception\":");
            string(out, ThrowableProxyUtil.asString(thrown));
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            for (Map.Entry<String, String> e : mdc.entrySet()) {
                if (FIXED.contains(e.getKey())) continue;
                out.append(',');
                string(out, e.getKey());
                out.append(':');
                string(out, e.getValue());
            }
        }
        out.append("}\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }

    /** A JSON string: quotes, backslashes and every control character escaped, so one event stays one line. */
    static void string(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // U+2028/2029 are line breaks to some readers; lone surrogates would make invalid UTF-8
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || (Character.isSurrogate(c) && !pairedAt(s, i))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                        if (Character.isHighSurrogate(c)) out.append(s.charAt(++i));
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean pairedAt(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
}
