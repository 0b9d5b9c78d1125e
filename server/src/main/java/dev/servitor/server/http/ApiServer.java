// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.Servitor;
import dev.servitor.adminql.StatementExecutor;
import io.javalin.Javalin;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of one {@link Servitor}: Javalin on Jetty's platform thread pool (virtual
 * threads measured worse p99 tails here), every {@code /v1} route behind the
 * {@link Authenticator}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String STARTED = "servitor.started";
    private final Javalin app;
    private final ServerMetrics metrics = new ServerMetrics();
    private final HotPath hotPath;
    /** A request id is a correlation handle, not a secret: no need for SecureRandom's shared lock here. */
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String REQUEST_ID = "X-Request-Id";

    public ApiServer(Servitor servitor) {
        this(servitor, true);
    }

    /** {@code hotPath}: whether {@link HotPath} answers the ordinary verify and introspect calls (tests compare both). */
    ApiServer(Servitor servitor, boolean hotPath) {
        var access = servitor.config().access();
        Authenticator authenticator = new Authenticator(servitor.verifier(), metrics,
            new ClientAddress(servitor.config().http().trustedProxies()),
            new AuthFailureLimiter(access.authFailuresPerMinutePerIp(), access.authFailuresPerMinutePerClient(), System::currentTimeMillis));
        this.hotPath = hotPath ? new HotPath(authenticator, servitor.verification(), servitor.tokens(), metrics) : null;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.modifyServer(server -> {
                MethodOverrideRefusal refusal = new MethodOverrideRefusal();
                if (hotPath) refusal.setHandler(this.hotPath);
                server.setHandler(refusal); // Javalin puts its servlet inside the innermost wrapper
            });
            config.http.maxRequestSize = JsonBody.MAX_BYTES;
            config.http.prefer405over404 = true;
            config.router.ignoreTrailingSlashes = true;
            config.routes.before(ctx -> {
                ctx.attribute(STARTED, System.nanoTime());
                ctx.header(REQUEST_ID, requestId(ctx.header(REQUEST_ID)));
            });
            config.routes.before("/v1/*", ctx -> {
                // logging in is the one /v1 call made without a credential
                if (!(ctx.path().equals("/v1/session") && ctx.method().name().equals("POST"))) authenticator.authenticate(ctx);
            });
            config.routes.beforeMatched(InputText::checkParameters); // after authentication: 401 comes first
            config.routes.after(ctx -> {
                Long started = ctx.attribute(STARTED);
                if (started != null) metrics.answered(ctx.method().name(), ctx.path(), ctx.statusCode(), System.nanoTime() - started);
            });
            config.requestLogger.http((ctx, ms) -> logRequest(ctx.method().name(), ctx.path(), ctx.statusCode(), ms.longValue()));
            Problems.register(config);
            new OperationalRoutes(servitor.store(), metrics).register(config);
            new IdentityRoutes(servitor.verification(), metrics).register(config);
            new ServiceAccountRoutes(servitor.serviceAccounts()).register(config);
            new KeyRoutes(servitor.keys()).register(config);
            new AuditRoutes(servitor.audit()).register(config);
            new OrgRoutes(servitor.orgs()).register(config);
            new AccessRoutes(servitor.access()).register(config);
            String publicUrl = servitor.config().http().publicUrl();
            new UserRoutes(servitor.users(), servitor.sessions(), authenticator, publicUrl != null && publicUrl.startsWith("https:")).register(config);
            new NetworkPolicyRoutes(servitor.networkPolicies()).register(config);
            new InstanceRoutes(servitor.compute()).register(config);
            new OAuthRoutes(servitor.tokens(), servitor.clientSecrets(), servitor.signingKeys(), authenticator,
                servitor.config().http()).register(config);
            new SqlRoutes(new StatementExecutor(servitor.serviceAccounts(), servitor.keys(), servitor.clientSecrets())
                .withWorkspaces(servitor.workspaces()).withNetworkPolicies(servitor.networkPolicies())).register(config);
            new WorkspaceRoutes(servitor.workspaces()).register(config);
            new ConsoleRoutes().register(config); // static pages, outside the /v1 authenticator
        });
    }

    /** The client's X-Request-Id when it is a plain token of at most 64 characters, else a new one. */
    static String requestId(String fromClient) {
        return fromClient != null && CLIENT_REQUEST_ID.matcher(fromClient).matches() ? fromClient
            : Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    /** Logged at debug level for every request: method, path and status only, never headers or bodies, which carry secrets. */
    static void logRequest(String method, String path, int status, long millis) {
        if (LOG.isDebugEnabled()) LOG.debug("{} {} {} {}ms", method, path, status, millis);
    }

    public ApiServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    /** Requests answered by the {@link HotPath} rather than the Javalin routes. */
    long hotPathAnswers() {
        return hotPath == null ? 0 : hotPath.answered();
    }

    public int port() {
        return app.port();
    }

    /** One registered endpoint: its method and path template. */
    public record Route(String method, String path) {}

    /** Every endpoint (not before/after handlers), so tests can walk the whole API. */
    public List<Route> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream().map(e -> e.endpoint)
            .filter(e -> e.method.isHttpMethod())
            .map(e -> new Route(e.method.name(), e.path)).toList();
    }

    @Override
    public void close() {
        app.stop();
        metrics.close();
    }
}
