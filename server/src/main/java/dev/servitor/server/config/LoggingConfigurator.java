// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;

/**
 * The server's logging, set up in code rather than from a {@code logback.xml}: Logback's XML
 * configurator loads some 450 classes more (its model processors and the JDK's XML parser),
 * about 0.2 s of a start without a class-data archive. One line per event on standard error, UTC
 * timestamps, level from {@code SERVITOR_LOG_LEVEL} (default INFO), and the libraries' chatter
 * at WARN; {@code SERVITOR_LOG_FORMAT=json} writes one JSON object per line instead
 * ({@link JsonLogEncoder}). A {@code logback.xml}, {@code logback-test.xml} or {@code -Dlogback.configurationFile}
 * still wins, so operators can replace all of this.
 */
public final class LoggingConfigurator extends ContextAwareBase implements Configurator {
    private static final String LEVEL = "SERVITOR_LOG_LEVEL";
    private static final String FORMAT = "SERVITOR_LOG_FORMAT";
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{30} - %msg%n";
    private static final List<String> QUIET_LIBRARIES = List.of("org.eclipse.jetty", "io.javalin", "org.flywaydb", "com.zaxxer.hikari");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null
            || getClass().getClassLoader().getResource(ContextInitializer.TEST_AUTOCONFIG_FILE) != null
            || getClass().getClassLoader().getResource(ContextInitializer.AUTOCONFIG_FILE) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, setting(LEVEL), setting(FORMAT));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static String setting(String name) {
        return System.getProperty(name, System.getenv(name));
    }

    /**
     * Servitor's logging on {@code context} at {@code level} (INFO when null or not a level name), as
     * {@code format} {@code json} or {@code text} (the default; an unknown format is text, with a warning,
     * since logging starts before the configuration is checked).
     */
    public static void apply(LoggerContext context, String level, String format) {
        boolean json = "json".equalsIgnoreCase(format);
        Encoder<ILoggingEvent> encoder;
        if (json) {
            encoder = new JsonLogEncoder();
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(PATTERN);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(stderr);
        QUIET_LIBRARIES.forEach(name -> context.getLogger(name).setLevel(Level.WARN));
        if (format != null && !json && !"text".equalsIgnoreCase(format)) {
            root.warn("{} must be text or json; logging as text", FORMAT);
        }
    }
}
