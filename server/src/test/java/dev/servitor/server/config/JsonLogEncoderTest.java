// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** {@code SERVITOR_LOG_FORMAT=json}: every event is one line holding one JSON object, whatever the message holds. */
class JsonLogEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The lines Servitor's own logging configuration encodes, in {@code format}, for what {@code body} logs. */
    private static List<String> logged(String format, java.util.function.Consumer<Logger> body) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        LoggingConfigurator.apply(context, "INFO", format);
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Encoder<ILoggingEvent> encoder = ((ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR")).getEncoder();
        StringBuilder out = new StringBuilder();
        AppenderBase<ILoggingEvent> written = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                out.append(new String(encoder.encode(e), StandardCharsets.UTF_8));
            }
        };
        written.setContext(context);
        written.start();
        root.detachAppender("STDERR"); // the test reads what would be written, not the build's stderr
        root.addAppender(written);
        body.accept(context.getLogger("dev.servitor.example"));
        return out.toString().lines().toList();
    }

    @Test
    void each_event_is_one_parseable_line_with_time_level_logger_thread_and_message() throws Exception {
        String tricky = "quote \" backslash \\ newline \n tab \t bell \u0007 line-sep \u2028 emoji \uD83D\uDD11 lone \uD800 end";
        List<String> lines = logged("json", log -> {
            log.info("first {}", tricky);
            log.warn("second");
        });
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("logger").asText()).isEqualTo("dev.servitor.example");
        assertThat(first.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(Instant.parse(first.get("time").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(first.get("message").asText()).isEqualTo("first " + tricky);
        assertThat(lines.get(0)).as("the lone surrogate is written as an escape, so the line stays valid UTF-8").contains("lone \\ud800 end");
        assertThat(JSON.readTree(lines.get(1)).get("level").asText()).isEqualTo("WARN");
    }

    @Test
    void an_exception_is_one_field_and_mdc_entries_are_fields_that_cannot_shadow_the_fixed_ones() throws Exception {
        List<String> lines = logged("json", log -> {
            MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
            MDC.put("level", "spoofed");
            try {
                log.error("failed", new IllegalStateException("boom\nsecond line"));
            } finally {
                MDC.clear();
            }
        });
        assertThat(lines).hasSize(1);
        JsonNode event = JSON.readTree(lines.get(0));
        assertThat(event.get("exception").asText()).contains("IllegalStateException: boom\nsecond line").contains("\tat ");
        assertThat(event.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(event.get("level").asText()).isEqualTo("ERROR");
    }

    @Test
    void text_stays_the_default_and_an_unknown_format_is_text() {
        assertThat(logged(null, log -> log.info("plain"))).singleElement().satisfies(l -> assertThat(l).endsWith("- plain").doesNotStartWith("{"));
        assertThat(logged("xml", log -> log.info("plain"))).singleElement().satisfies(l -> assertThat(l).endsWith("- plain").doesNotStartWith("{"));
    }
}
