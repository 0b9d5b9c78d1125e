// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.ConnectException;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SdkLogsTest {

    @Test
    void a_failed_export_is_one_warning_line_with_the_failures_types_and_no_stack_trace() {
        Logger servitorLog = (Logger) LoggerFactory.getLogger("dev.servitor.server.tracing.OpenTelemetry");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        servitorLog.addAppender(lines);
        try {
            SdkLogs.install();
            SdkLogs.install(); // once only, however often tracing starts
            java.util.logging.Logger.getLogger("io.opentelemetry.exporter.internal.http.HttpExporter")
                .log(Level.SEVERE, "Failed to export 3 spans. The request could not be executed.", new IOException(new ConnectException()));
            java.util.logging.Logger.getLogger("io.opentelemetry.sdk").log(Level.FINE, "chatter");
        } finally {
            servitorLog.detachAppender(lines);
        }
        assertThat(lines.list).hasSize(1);
        ILoggingEvent line = lines.list.get(0);
        assertThat(line.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
        assertThat(line.getFormattedMessage()).isEqualTo(
            "Failed to export 3 spans. The request could not be executed. (java.io.IOException, caused by java.net.ConnectException)");
        assertThat(line.getThrowableProxy()).isNull();
    }
}
