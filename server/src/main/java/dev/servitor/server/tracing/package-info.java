// SPDX-License-Identifier: Apache-2.0
/**
 * Traces over OTLP, off by default: {@link dev.servitor.server.tracing.Tracing} is the seam the
 * server calls, in Servitor's own types, so that with tracing off no OpenTelemetry class is ever
 * loaded; {@link dev.servitor.server.tracing.OtelTracing} and the classes it creates are the only
 * ones that touch the OpenTelemetry SDK. docs/observability.md lists the spans and attributes.
 */
package dev.servitor.server.tracing;
