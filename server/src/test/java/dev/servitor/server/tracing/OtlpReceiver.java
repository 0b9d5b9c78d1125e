// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OTLP/HTTP collector in the test's JVM: the JDK's HttpServer on a loopback port that takes
 * the exporter's protobuf POSTs to {@code /v1/traces}, keeps every body as it came, and decodes
 * the spans with {@link Protobuf} (the OTLP field numbers of opentelemetry-proto's trace.proto).
 */
final class OtlpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<byte[]> bodies = new ArrayList<>();

    OtlpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/traces", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean protobuf = "application/x-protobuf".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
            synchronized (bodies) {
                if (protobuf && "POST".equals(exchange.getRequestMethod())) bodies.add(body);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(protobuf ? 200 : 415, -1); // an empty ExportTraceServiceResponse
            exchange.close();
        });
        server.start();
    }

    URI tracesUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
    }

    /** Every byte the exporter sent so far, concatenated. */
    byte[] rawBytes() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        synchronized (bodies) {
            bodies.forEach(all::writeBytes);
        }
        return all.toByteArray();
    }

    /** Every span received so far. */
    List<ExportedSpan> spans() {
        List<ExportedSpan> spans = new ArrayList<>();
        List<byte[]> copy;
        synchronized (bodies) {
            copy = List.copyOf(bodies);
        }
        for (byte[] body : copy) {
            for (Protobuf resourceSpans : Protobuf.parse(body).messages(1)) {
                String service = String.valueOf(attributes(resourceSpans.message(1), 1).get("service.name"));
                for (Protobuf scopeSpans : resourceSpans.messages(2)) {
                    for (Protobuf span : scopeSpans.messages(2)) spans.add(span(service, span));
                }
            }
        }
        return spans;
    }

    private static ExportedSpan span(String service, Protobuf span) {
        HexFormat hex = HexFormat.of();
        Protobuf status = span.message(15);
        return new ExportedSpan(service, hex.formatHex(span.bytes(1)), hex.formatHex(span.bytes(2)), hex.formatHex(span.bytes(4)),
            span.string(5), (int) span.number(6), attributes(span, 9), status == null ? 0 : (int) status.number(3));
    }

    /** The KeyValue attributes (field 9 of a Span, 1 of a Resource): strings, longs, booleans and doubles. */
    private static Map<String, Object> attributes(Protobuf owner, int field) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (owner == null) return attributes;
        for (Protobuf kv : owner.messages(field)) {
            Protobuf value = kv.message(2);
            Object v = value.has(1) ? value.string(1) : value.has(3) ? (Object) value.number(3)
                : value.has(2) ? (Object) (value.number(2) != 0) : value.has(4) ? (Object) Double.longBitsToDouble(value.number(4)) : null;
            attributes.put(kv.string(1), v);
        }
        return attributes;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** One span as it arrived. {@code kind}: 2 server, 3 client; {@code status}: 0 unset, 1 ok, 2 error. */
    record ExportedSpan(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
                        Map<String, Object> attributes, int status) {
        Object attribute(String key) {
            return attributes.get(key);
        }
    }
}
