// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.Servitor;
import dev.servitor.adminql.StatementExecutor;
import dev.servitor.config.ServitorConfig;
import dev.servitor.server.tls.CertificateReloader;
import dev.servitor.server.tls.PemKeyStore;
import dev.servitor.server.tracing.Tracing;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of one {@link Servitor}: Javalin on Jetty's platform thread pool (virtual
 * threads measured worse p99 tails here), every {@code /v1} route behind the
 * {@link CredentialGate}. In front of Javalin, on Jetty's core API: {@link MetricsPort} (when
 * the metrics have their own port), {@link ForwardAuth}, {@link MethodOverrideRefusal},
 * {@link BufferedBodies}, then {@link HotPath}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String STARTED = "servitor.started";
    private final Javalin app;
    private final ServerMetrics metrics = new ServerMetrics();
    private final HotPath hotPath;
    private final Servitor servitor;
    /** Set by {@link #start}, read by the connector factories while Javalin starts. */
    private String host;
    private int port;
    private ServerConnector metricsConnector;
    private final CertificateReloader tls;
    private final LeakRoutes leakRoutes;
    /** Anonymous leak reports accepted per client address and minute (docs/api.md "Leaked credentials"). */
    static final int LEAK_REPORTS_PER_MINUTE = 10;
    /** A request id is a correlation handle, not a secret: no need for SecureRandom's shared lock here. */
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String REQUEST_ID = "X-Request-Id";

    public ApiServer(Servitor servitor) {
        this(servitor, Tracing.OFF);
    }

    /** With {@code tracing} around the handlers and routes (docs/observability.md). */
    public ApiServer(Servitor servitor, Tracing tracing) {
        this(servitor, true, tracing);
    }

    ApiServer(Servitor servitor, boolean hotPath) {
        this(servitor, hotPath, Tracing.OFF);
    }

    /** {@code hotPath}: whether {@link HotPath} answers the ordinary verify and introspect calls (tests compare both). */
    ApiServer(Servitor servitor, boolean hotPath, Tracing tracing) {
        this.servitor = servitor;
        // webhook deliveries, GitHub's key list, federated issuers' keys: each call a client span
        if (tracing != Tracing.OFF) servitor.outbound().observeCalls(tracing::outgoing);
        var access = servitor.config().access();
        CredentialGate gate = new CredentialGate(servitor.verifier(), servitor.tokens(), new RoutePermissions(servitor.authorizer()), metrics,
            new ClientAddress(servitor.config().http().trustedProxies()),
            new AuthFailureLimiter(access.authFailuresPerMinutePerIp(), access.authFailuresPerMinutePerClient(), System::currentTimeMillis),
            servitor.publicKeys());
        ServitorConfig.Outbound outbound = servitor.config().outbound();
        this.leakRoutes = new LeakRoutes(servitor.leaks(),
            new GitHubScanningKeys(servitor.outbound(), outbound.githubScanningKeysUrl(), outbound.githubScanningKeysFile(),
                System::currentTimeMillis),
            new LeakReportLimiter(LEAK_REPORTS_PER_MINUTE, System::currentTimeMillis),
            new ClientAddress(servitor.config().http().trustedProxies()));
        VerifyEndpoint verify = new VerifyEndpoint(servitor.verification(), metrics);
        this.hotPath = hotPath ? new HotPath(gate, verify, new IntrospectEndpoint(servitor.tokens()), metrics) : null;
        ForwardAuth forwardAuth = new ForwardAuth(gate, servitor.verification(), servitor.authorizer(), metrics);
        ServitorConfig.Http http = servitor.config().http();
        // the bodies still arriving may take a quarter of the heap
        BufferedBodies bodies = new BufferedBodies(TimeUnit.SECONDS.toMillis(http.bodyTimeoutSeconds()), Runtime.getRuntime().maxMemory() / 4);
        ConnectionsPerAddress connections = new ConnectionsPerAddress(http.maxConnectionsPerAddress(), http.trustedProxies());
        this.tls = http.tls() ? tlsFrom(http) : null;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.modifyServer(server -> {
                // inside the bodies, which may go on with a request on another thread once its body is in
                Handler work = tracing.current(hotPath ? this.hotPath : null);
                if (work != null) bodies.setHandler(work);
                MethodOverrideRefusal refusal = new MethodOverrideRefusal();
                refusal.setHandler(bodies);
                forwardAuth.setHandler(refusal); // outside the refusal: a client's override header is for the upstream
                // Javalin puts its servlet inside the innermost wrapper
                RequestsInFlight inFlight = new RequestsInFlight();
                inFlight.setHandler(tracing.requests(http.metricsPort() == null ? forwardAuth : new MetricsPort(forwardAuth)));
                server.setHandler(inFlight);
                servitor.deliveries().yieldWhileBusy(inFlight::busy,
                    Duration.ofSeconds(servitor.config().outbound().webhooksMaxDeferSeconds()));
                server.setErrorHandler(new JettyProblems());
            });
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JettyProblems()));
            config.jetty.addConnector((server, httpConfig) -> {
                ServerConnector api = tls == null ? connector(server, httpConfig, port) : tlsConnector(server, httpConfig, port);
                api.addEventListener(connections);
                return api;
            });
            if (http.metricsPort() != null) {
                config.jetty.addConnector((server, httpConfig) -> {
                    metricsConnector = connector(server, httpConfig, http.metricsPort());
                    metricsConnector.setName(MetricsPort.CONNECTOR);
                    return metricsConnector;
                });
            }
            config.http.maxRequestSize = JsonBody.MAX_BYTES;
            config.http.prefer405over404 = true;
            config.router.ignoreTrailingSlashes = true;
            config.routes.before(ctx -> {
                ctx.attribute(STARTED, System.nanoTime());
                ctx.header(REQUEST_ID, requestId(ctx.header(REQUEST_ID)));
            });
            config.routes.before("/v1/*", gate::authenticate); // 401 before anything else, even before a 404
            config.routes.beforeMatched(gate::authorize); // once the route is known, before any handler reads the body
            config.routes.beforeMatched(InputText::checkParameters); // after authentication: 401 comes first
            config.routes.after(ctx -> {
                Long started = ctx.attribute(STARTED);
                if (started != null) metrics.answered(ctx.method().name(), ctx.path(), ctx.statusCode(), System.nanoTime() - started);
            });
            tracing.routes(config);
            config.requestLogger.http((ctx, ms) -> logRequest(ctx.method().name(), ctx.path(), ctx.statusCode(), ms.longValue()));
            Problems.register(config);
            BodyMemory.register(config);
            new OperationalRoutes(servitor.store(), metrics, http.metricsToken()).register(config);
            new IdentityRoutes(verify).register(config);
            new ServiceAccountRoutes(servitor.serviceAccounts()).register(config);
            new KeyRoutes(servitor.keys(), servitor.keyUsage()).register(config);
            new PublicKeyRoutes(servitor.publicKeys()).register(config);
            new AuditRoutes(servitor.audit()).register(config);
            new OrgRoutes(servitor.orgs()).register(config);
            new AccessRoutes(servitor.access()).register(config);
            String publicUrl = servitor.config().http().publicUrl();
            new UserRoutes(servitor.users(), servitor.sessions(), gate, publicUrl).register(config);
            new NetworkPolicyRoutes(servitor.networkPolicies()).register(config);
            new InstanceRoutes(servitor.compute()).register(config);
            new OAuthRoutes(servitor.tokens(), servitor.clientSecrets(), servitor.signingKeys(), gate,
                servitor.issuer(), servitor.federatedExchange()).register(config);
            new FederationRoutes(servitor.federation()).register(config);
            new SqlRoutes(new StatementExecutor(servitor.serviceAccounts(), servitor.keys(), servitor.clientSecrets(),
                servitor.workspaces(), servitor.networkPolicies(), servitor.orgs(), servitor.webhooks(), servitor.federation())
                .withLimits(servitor.config().sql())).register(config);
            new WorkspaceRoutes(servitor.workspaces()).register(config);
            new WebhookRoutes(servitor.webhooks()).register(config);
            leakRoutes.register(config);
            new ConsoleRoutes().register(config); // static pages, outside the /v1 credential gate
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
        this.host = host;
        this.port = port;
        app.start();
        servitor.issuer().listeningOn(tls != null, host, app.port()); // without SERVITOR_PUBLIC_URL, the bound address names the issuer
        return this;
    }

    private ServerConnector connector(Server server, HttpConfiguration httpConfig, int port) {
        ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        c.setHost(host);
        c.setPort(port);
        return c;
    }

    private static CertificateReloader tlsFrom(ServitorConfig.Http http) {
        try {
            return new CertificateReloader(http.tlsCertificate(), http.tlsKey());
        } catch (PemKeyStore.InvalidPem e) {
            throw new IllegalStateException(e.getMessage(), e); // ConfigLoader checked the files; they changed since
        }
    }

    /** The API port over TLS (HTTP/1.1); the metrics port stays plain HTTP, for scrapers on the inside network. */
    private ServerConnector tlsConnector(Server server, HttpConfiguration httpConfig, int port) {
        HttpConfiguration https = new HttpConfiguration(httpConfig);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // one certificate, whatever name the client used: the certificate check is the client's
        https.addCustomizer(secure);
        ServerConnector c = new ServerConnector(server, new SslConnectionFactory(tls.sslContextFactory(), "http/1.1"),
            new HttpConnectionFactory(https));
        c.setHost(host);
        c.setPort(port);
        return c;
    }

    /** The port {@code /metrics} is served on. */
    public int metricsPort() {
        return metricsConnector == null ? port() : metricsConnector.getLocalPort();
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
        leakRoutes.close();
        metrics.close();
        if (tls != null) tls.close();
    }
}
