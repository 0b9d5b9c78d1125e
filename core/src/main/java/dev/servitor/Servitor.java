// SPDX-License-Identifier: Apache-2.0
package dev.servitor;

import dev.servitor.account.ServiceAccountService;
import dev.servitor.apikey.ApiKeyService;
import dev.servitor.audit.AuditLog;
import dev.servitor.audit.AuditService;
import dev.servitor.authn.BroadcastInvalidation;
import dev.servitor.authz.Authorizer;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.authn.CredentialVerifier;
import dev.servitor.authn.LastUsedRecorder;
import dev.servitor.authn.PrincipalLoader;
import dev.servitor.authn.VerificationService;
import dev.servitor.compute.ComputeService;
import dev.servitor.network.NetworkPolicyService;
import dev.servitor.config.ServitorConfig;
import dev.servitor.access.AccessService;
import dev.servitor.authn.SessionService;
import dev.servitor.user.UserEmails;
import dev.servitor.user.UserService;
import dev.servitor.workspace.WorkspaceService;
import dev.servitor.publickey.PublicKeyService;
import dev.servitor.org.Bootstrap;
import dev.servitor.org.OrgService;
import dev.servitor.org.UsageCounters;
import dev.servitor.store.jdbi.Database;
import dev.servitor.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import dev.servitor.oauthclient.ClientSecretService;
import dev.servitor.token.AccessTokens;
import dev.servitor.token.Issuer;
import dev.servitor.token.MasterKey;
import dev.servitor.outbound.AddressGuard;
import dev.servitor.outbound.OutboundHttp;
import dev.servitor.keylimit.KeyUsage;
import dev.servitor.leak.LeakResponse;
import dev.servitor.policy.CredentialPolicies;
import dev.servitor.webhook.DeliveryPolicy;
import dev.servitor.webhook.DeliveryWorker;
import dev.servitor.webhook.KeyLifecycleScheduler;
import dev.servitor.webhook.EventOutbox;
import dev.servitor.webhook.WebhookService;
import dev.servitor.webhook.WebhookSubscribers;
import dev.servitor.token.SigningKeys;
import dev.servitor.oauth.TokenService;
import dev.servitor.oauth.FederatedExchange;
import dev.servitor.federation.FederationService;
import dev.servitor.federation.IssuerKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of the core: opens and migrates the store, seeds it on first start and
 * wires the application services. Every interface (REST, SQL, CLI, console) goes through the
 * services held here.
 */
public final class Servitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Servitor.class);
    private final ServitorConfig config;
    private final Database database;
    private final LastUsedRecorder lastUsed;
    private final CredentialVerifier verifier;
    private final AuditService audit;
    private final ApiKeyService keys;
    private final ServiceAccountService serviceAccounts;
    private final VerificationService verification;
    private final Optional<String> generatedAdminKey;
    private final SigningKeys signingKeys;
    private final AuditLog auditLog;
    private final Authorizer authorizer;
    private final ClientSecretService clientSecrets;
    private final TokenService tokens;
    private final PublicKeyService publicKeys;
    private final ScheduledExecutorService housekeeping;
    private final UsageCounters usage;
    private final OrgService orgs;
    private final AccessService access;
    private final UserService users;
    private final SessionService sessions;
    private final WorkspaceService workspaces;
    private final NetworkPolicyService networkPolicies;
    private final ComputeService compute;
    private final Issuer issuer;
    private final WebhookService webhooks;
    private final LeakResponse leaks;
    private final OutboundHttp outbound;
    private final DeliveryWorker deliveries;
    private final KeyLifecycleScheduler keyLifecycle;
    private final IssuerKeys issuerKeys;
    private final FederationService federation;
    private final FederatedExchange federatedExchange;
    private final KeyUsage keyUsage;

    private Servitor(ServitorConfig config, Clock exactClock, UnaryOperator<Store> storeAround) {
        this.config = config;
        Clock clock = Clock.tick(exactClock, Duration.ofMillis(1)); // what is stored is milliseconds: answer the same
        Bootstrap.checkAdminToken(config);
        this.database = Database.open(config.storage());
        Store store = storeAround.apply(database.store());
        this.lastUsed = new LastUsedRecorder(store);
        this.keyUsage = KeyUsage.of(store, database.dialect() == Database.Dialect.POSTGRES, clock);
        MasterKey master = config.tokens().masterKey() != null ? MasterKey.fromBase64(config.tokens().masterKey())
            : MasterKey.fromFile(config.storage().dataDir());
        this.signingKeys = new SigningKeys(store, master, clock, Duration.ofSeconds(config.tokens().maxLifetimeSeconds()));
        signingKeys.ensureCurrent();
        this.issuer = new Issuer(config.http().publicUrl(), config.http().host(), config.http().port(),
            config.tokens().acceptedAudiences());
        AccessTokens accessTokens = new AccessTokens(signingKeys, issuer);
        AuditLog auditLog = new AuditLog(store, clock);
        this.auditLog = auditLog;
        Authorizer authz = new Authorizer(auditLog);
        this.authorizer = authz;
        this.verifier = new CredentialVerifier(store, clock,
            new PrincipalLoader(config.identity().serviceAccountEmailDomain()), lastUsed, accessTokens, authz, keyUsage);
        CacheInvalidation invalidation = new BroadcastInvalidation(verifier);
        EventOutbox outbox = new EventOutbox(clock);
        WebhookSubscribers subscribers = outbox.subscribers();
        database.changes().listen(payload -> {
            if (payload.startsWith(WebhookSubscribers.BUS_KIND + ":")) {
                subscribers.evict(payload.substring(WebhookSubscribers.BUS_KIND.length() + 1));
            } else {
                BroadcastInvalidation.apply(payload, verifier, signingKeys);
            }
        }, blind -> {
            verifier.setBlind(blind);
            subscribers.setBlind(blind);
        });
        this.audit = new AuditService(store, authz);
        this.keys = new ApiKeyService(store, auditLog, authz, invalidation, clock, config.credentials(), keyUsage);
        this.serviceAccounts = new ServiceAccountService(store, auditLog, authz, keys, invalidation, clock,
            config.identity().serviceAccountEmailDomain());
        this.usage = new UsageCounters(store, clock);
        this.orgs = new OrgService(store, auditLog, authz, keys, invalidation, usage, clock, config);
        this.access = new AccessService(store, auditLog, authz, invalidation, clock);
        this.users = new UserService(store, auditLog, authz, invalidation, clock, UserEmails.of(config.identity()));
        this.sessions = new SessionService(store, auditLog, invalidation, verifier, clock);
        this.workspaces = new WorkspaceService(store, auditLog, authz, clock);
        this.verification = new VerificationService(verifier, authz, usage);
        this.clientSecrets = new ClientSecretService(store, auditLog, authz, invalidation, verifier::isSecretLive, clock,
            config.credentials().secretPrefix());
        this.tokens = new TokenService(store, clientSecrets, verifier, accessTokens, auditLog, authz, invalidation, clock, config.tokens(),
            orgs, usage);
        this.publicKeys = new PublicKeyService(store, auditLog, authz, issuer, clock);
        this.networkPolicies = new NetworkPolicyService(store, auditLog, authz, invalidation, clock);
        this.compute = new ComputeService(store, auditLog, authz, clock, config.access().instanceSizes());
        auditLog.listen(outbox);
        OutboundHttp outbound = new OutboundHttp(new AddressGuard(config.outbound().allowedNetworks()),
            config.outbound().webhooksAllowHttp(), DeliveryWorker.CALL_DEADLINE, 4096);
        this.webhooks = new WebhookService(store, auditLog, authz, master, outbound, outbox, clock);
        this.outbound = outbound;
        this.issuerKeys = new IssuerKeys(new OutboundHttp(new AddressGuard(config.outbound().allowedNetworks()),
            config.outbound().federationAllowHttp(), Duration.ofSeconds(5), 64 * 1024), clock);
        this.federation = new FederationService(store, auditLog, authz, issuerKeys, invalidation, clock, config.tokens().maxLifetimeSeconds());
        this.federatedExchange = new FederatedExchange(store, federation, tokens, verifier, auditLog, orgs, clock);
        this.leaks = new LeakResponse(store, auditLog, invalidation, clock);
        this.deliveries = new DeliveryWorker(store, webhooks, outbox, outbound,
            new DeliveryPolicy(() -> java.util.concurrent.ThreadLocalRandom.current().nextDouble()), auditLog, clock);
        outbox.onNewEvents(deliveries::wake);
        this.keyLifecycle = new KeyLifecycleScheduler(store, auditLog, invalidation,
            (tx, orgId) -> CredentialPolicies.of(tx, orgId).dormantAfterDays(), clock);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "servitor-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(() -> quietly(auditLog::flushQueued), 250, 250, TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(() -> quietly(usage::flush), 1, 1, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(() -> quietly(tokens::pruneRevoked), 1, 60, TimeUnit.MINUTES);
        this.generatedAdminKey = Bootstrap.run(store, auditLog, keys, orgs, config, clock);
        deliveries.start();
        keyLifecycle.start();
    }

    public static Servitor start(ServitorConfig config, Clock clock) {
        return new Servitor(config, clock, UnaryOperator.identity());
    }

    /**
     * As {@link #start(ServitorConfig, Clock)}, with every service running its transactions
     * through {@code storeAround.apply(store)}: the server's hook to trace store calls (it must
     * hand each call on to the store it was given), so that the core needs no tracing library.
     */
    public static Servitor start(ServitorConfig config, Clock clock, UnaryOperator<Store> storeAround) {
        return new Servitor(config, clock, storeAround);
    }

    public ServitorConfig config() { return config; }
    public Store store() { return database.store(); }
    public Database database() { return database; }
    public Authorizer authorizer() { return authorizer; }
    public CredentialVerifier verifier() { return verifier; }
    public LastUsedRecorder lastUsed() { return lastUsed; }
    public AuditService audit() { return audit; }
    public ApiKeyService keys() { return keys; }
    public ServiceAccountService serviceAccounts() { return serviceAccounts; }
    public VerificationService verification() { return verification; }

    public SigningKeys signingKeys() { return signingKeys; }
    public ClientSecretService clientSecrets() { return clientSecrets; }
    public TokenService tokens() { return tokens; }
    public PublicKeyService publicKeys() { return publicKeys; }
    public AuditLog auditLog() { return auditLog; }
    public OrgService orgs() { return orgs; }
    public AccessService access() { return access; }
    public UserService users() { return users; }
    public SessionService sessions() { return sessions; }
    public WorkspaceService workspaces() { return workspaces; }
    public UsageCounters usage() { return usage; }
    public NetworkPolicyService networkPolicies() { return networkPolicies; }
    public ComputeService compute() { return compute; }
    public Issuer issuer() { return issuer; }
    public WebhookService webhooks() { return webhooks; }
    public LeakResponse leaks() { return leaks; }
    /** The client for outgoing calls (the guard against private addresses included). */
    public OutboundHttp outbound() { return outbound; }
    public DeliveryWorker deliveries() { return deliveries; }
    public KeyLifecycleScheduler keyLifecycle() { return keyLifecycle; }
    public FederationService federation() { return federation; }
    public FederatedExchange federatedExchange() { return federatedExchange; }
    /** The issuers' keys this node holds (and how often it fetched them). */
    public IssuerKeys issuerKeys() { return issuerKeys; }
    /** Per-key rate limits and usage credits. */
    public KeyUsage keyUsage() { return keyUsage; }

    private static void quietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("background task failed: {}", e.toString());
        }
    }

    /** The bootstrap admin key if this start generated it, to be printed once. */
    public Optional<String> generatedAdminKey() { return generatedAdminKey; }

    @Override
    public void close() {
        housekeeping.shutdown();
        keyLifecycle.close();
        deliveries.close();
        quietly(auditLog::flushQueued);
        quietly(usage::flush);
        lastUsed.close();
        database.close();
    }
}
