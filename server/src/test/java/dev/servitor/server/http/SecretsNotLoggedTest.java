// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.servitor.server.config.LoggingConfigurator;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases.Engine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs a whole key life cycle under the production logging configuration at its most verbose
 * ({@code SERVITOR_LOG_LEVEL=DEBUG}) and checks that no secret reached the log.
 */
class SecretsNotLoggedTest {

    /** The production configuration ({@link LoggingConfigurator}) at DEBUG, as {@code SERVITOR_LOG_LEVEL=DEBUG} gives it. */
    private static void configureProductionAtDebug() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        LoggingConfigurator.apply(context, "DEBUG", null);
    }

    private static void configure(String resource) throws JoranException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(SecretsNotLoggedTest.class.getResource(resource));
    }

    @Test
    void no_secret_or_presented_credential_appears_in_any_log_line() throws JoranException {
        configureProductionAtDebug();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
        assertThat(((Logger) LoggerFactory.getLogger("org.eclipse.jetty.server")).getEffectiveLevel())
            .as("Jetty logs headers at DEBUG: it stays at WARN").isEqualTo(Level.WARN);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        List<String> secrets = new ArrayList<>();
        try (TestServer server = TestServer.start(Engine.SQLITE)) {
            secrets.add(server.adminKey());
            String sa = server.post("/v1/service-accounts", server.adminKey(), "{\"name\":\"logged\",\"issue_key\":true}")
                .expect(201).json().get("key").get("key").asText();
            secrets.add(sa);
            String made = server.createKey("logged", "second");
            secrets.add(made);
            String id = server.get("/v1/service-accounts/logged/keys", server.adminKey()).json().get("keys").get(1).get("id").asText();
            secrets.add(server.post("/v1/service-accounts/logged/keys/" + id + "/rotate", server.adminKey(), "{\"grace_seconds\":5}")
                .expect(201).json().get("key").asText());
            String wellFormedUnknown = SecretFormat.generate("svt");
            secrets.add(wellFormedUnknown);
            String typo = made.substring(0, made.length() - 1) + (made.endsWith("A") ? "B" : "A");
            secrets.add(typo);
            server.get("/v1/whoami", wellFormedUnknown).expect(401);
            server.get("/v1/whoami", typo).expect(401);
            server.post("/v1/verify", server.adminKey(), "{\"credential\":\"" + typo + "\"}").expect(200);
            server.post("/v1/service-accounts", sa, "{\"name\":\"" + sa + "\"}").expect(403);
            server.post("/v1/service-accounts", sa, "{\"name\":\"x\",\"description\":\"" + made + "\"}").expect(403);
            server.post("/v1/service-accounts", server.adminKey(), "{\"name\":\"" + made + "\"}").expect(422);
            server.delete("/v1/service-accounts/logged", server.adminKey()).expect(204);
            server.servitor().lastUsed().flush();
        } finally {
            configure("/logback-test.xml");
        }
        assertThat(appender.list).as("DEBUG logging was captured").isNotEmpty();
        for (ILoggingEvent e : appender.list) {
            String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
            for (String secret : secrets) {
                assertThat(line).doesNotContain(secret.substring(4, 20));
            }
        }
    }
}
