// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK's own messages (it logs through {@code java.util.logging}: "Failed to
 * export 3 spans", once or twice a minute while the collector is away) as one line each in
 * Servitor's log, with the failure's type and its root cause's, instead of the JDK's two-line
 * format and a stack trace per failed export.
 */
final class SdkLogs extends Handler {
    private static final Logger LOG = LoggerFactory.getLogger("dev.servitor.server.tracing.OpenTelemetry");
    /** Held here: java.util.logging keeps its loggers only weakly, and would drop this set-up with one. */
    private static final java.util.logging.Logger SDK = java.util.logging.Logger.getLogger("io.opentelemetry");
    private static final SimpleFormatter FORMAT = new SimpleFormatter();

    static synchronized void install() {
        for (Handler h : SDK.getHandlers()) {
            if (h instanceof SdkLogs) return;
        }
        SDK.setUseParentHandlers(false);
        SDK.addHandler(new SdkLogs());
    }

    @Override
    public void publish(LogRecord record) {
        int level = record.getLevel().intValue();
        if (level < Level.INFO.intValue()) return;
        String message = FORMAT.formatMessage(record);
        Throwable failure = record.getThrown();
        if (failure != null) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            message += " (" + failure.getClass().getName() + (root == failure ? "" : ", caused by " + root.getClass().getName()) + ")";
        }
        if (level >= Level.WARNING.intValue()) LOG.warn("{}", message); else LOG.info("{}", message);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
