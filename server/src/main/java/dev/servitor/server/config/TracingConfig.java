// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.config;

import static dev.servitor.server.config.ConfigKeys.OTEL_ENDPOINT;
import static dev.servitor.server.config.ConfigKeys.OTEL_SAMPLE_RATIO;
import static dev.servitor.server.config.ConfigKeys.OTEL_SERVICE_NAME;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;

/**
 * Where a node sends its traces (OTLP over HTTP with protobuf), under which {@code service.name},
 * and the share of requests without a sampled {@code traceparent} that start a trace. Tracing is
 * on only when an endpoint is given: {@code SERVITOR_OTEL_ENDPOINT}, else the standard
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_ENDPOINT}; the
 * standard {@code OTEL_SDK_DISABLED=true} or {@code OTEL_TRACES_EXPORTER=none} turns it off
 * whatever is set (docs/observability.md).
 *
 * @param tracesEndpoint the URL spans are POSTed to, e.g. {@code http://collector:4318/v1/traces}
 */
public record TracingConfig(URI tracesEndpoint, String serviceName, double sampleRatio) {
    public static final String DEFAULT_SERVICE_NAME = "servitor";
    static final String STANDARD_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String STANDARD_TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    private static final String TRACES_PATH = "/v1/traces";

    /** The tracing settings in {@code values} (Servitor's keys) and {@code env} (the standard OTEL_* ones), or null when tracing is off. */
    static TracingConfig of(Map<String, String> values, Map<String, String> env, List<String> problems) {
        if ("true".equalsIgnoreCase(trimmed(env.get("OTEL_SDK_DISABLED"))) || "none".equalsIgnoreCase(trimmed(env.get("OTEL_TRACES_EXPORTER")))) {
            return null;
        }
        String key;
        String url;
        boolean base = true; // a base URL gets /v1/traces, as OTEL_EXPORTER_OTLP_ENDPOINT does
        if (values.get(OTEL_ENDPOINT) != null) {
            key = OTEL_ENDPOINT;
            url = values.get(OTEL_ENDPOINT);
        } else if (trimmed(env.get(STANDARD_TRACES_ENDPOINT)) != null) {
            key = STANDARD_TRACES_ENDPOINT;
            url = trimmed(env.get(STANDARD_TRACES_ENDPOINT));
            base = false;
        } else if (trimmed(env.get(STANDARD_ENDPOINT)) != null) {
            key = STANDARD_ENDPOINT;
            url = trimmed(env.get(STANDARD_ENDPOINT));
        } else {
            return null;
        }
        URI endpoint = endpoint(key, url, base, problems);
        String protocol = trimmed(env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", env.get("OTEL_EXPORTER_OTLP_PROTOCOL")));
        if (protocol != null && !protocol.equals("http/protobuf")) {
            problems.add("OTEL_EXPORTER_OTLP_PROTOCOL is " + protocol + ", but Servitor sends traces as http/protobuf only (port 4318 of a collector)");
        }
        String serviceName = values.getOrDefault(OTEL_SERVICE_NAME, trimmed(env.get("OTEL_SERVICE_NAME")));
        if (serviceName == null) serviceName = DEFAULT_SERVICE_NAME;
        if (!serviceName.matches("[\\x20-\\x7E]{1,255}")) {
            problems.add(OTEL_SERVICE_NAME + " must be 1-255 printable ASCII characters");
        }
        double ratio = 1.0;
        String r = values.get(OTEL_SAMPLE_RATIO);
        if (r != null) {
            try {
                ratio = Double.parseDouble(r);
                if (!(ratio >= 0 && ratio <= 1)) problems.add(OTEL_SAMPLE_RATIO + " must be between 0 and 1");
            } catch (NumberFormatException e) {
                problems.add(OTEL_SAMPLE_RATIO + " must be a number between 0 and 1, such as 0.25");
            }
        }
        return endpoint == null ? null : new TracingConfig(endpoint, serviceName, ratio);
    }

    private static URI endpoint(String key, String url, boolean base, List<String> problems) {
        try {
            URI uri = new URI(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                if (base && !path.endsWith(TRACES_PATH)) {
                    path = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + TRACES_PATH;
                }
                return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + path);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        // never echo the value: an endpoint may carry a token in its user info
        problems.add(key + " must be an http(s) URL of an OTLP/HTTP collector without query or user info, such as http://collector:4318");
        return null;
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
