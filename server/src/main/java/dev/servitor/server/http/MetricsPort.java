// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.common.ErrorCode;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * With {@code SERVITOR_METRICS_PORT} set: {@code /metrics} is answered on the connector named
 * {@link #CONNECTOR} only, and nothing else is, so that the API port can be public while the
 * metrics port is not.
 */
final class MetricsPort extends Handler.Wrapper {
    static final String CONNECTOR = "metrics";

    MetricsPort(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean onMetricsPort = CONNECTOR.equals(request.getConnectionMetaData().getConnector().getName());
        boolean metrics = OperationalRoutes.METRICS_PATH.equals(request.getHttpURI().getPath());
        if (onMetricsPort == metrics) return super.handle(request, response, callback);
        JettyProblems.write(request, response, callback, 404, ErrorCode.NOT_FOUND,
            onMetricsPort ? "This port serves GET /metrics only" : "Metrics are served on their own port", null);
        return true;
    }
}
