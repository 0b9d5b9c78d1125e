// SPDX-License-Identifier: Apache-2.0
package dev.servitor;

import dev.servitor.account.ServiceAccountService;
import dev.servitor.apikey.ApiKeyService;
import dev.servitor.audit.AuditLog;
import dev.servitor.audit.AuditService;
import dev.servitor.auth.CredentialVerifier;
import dev.servitor.auth.LastUsedRecorder;
import dev.servitor.auth.VerificationService;
import dev.servitor.config.ServitorConfig;
import dev.servitor.org.Bootstrap;
import dev.servitor.store.Database;
import dev.servitor.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The composition root of the core: opens and migrates the store, seeds it on first start and
 * wires the application services. Every interface (REST, SQL, CLI, console) goes through the
 * services held here.
 */
public final class Servitor implements AutoCloseable {
    private final ServitorConfig config;
    private final Database database;
    private final LastUsedRecorder lastUsed;
    private final CredentialVerifier verifier;
    private final AuditService audit;
    private final ApiKeyService keys;
    private final ServiceAccountService serviceAccounts;
    private final VerificationService verification;
    private final Optional<String> generatedAdminKey;

    private Servitor(ServitorConfig config, Clock exactClock) {
        this.config = config;
        Clock clock = Clock.tick(exactClock, Duration.ofMillis(1)); // what is stored is milliseconds: answer the same
        Bootstrap.checkAdminToken(config);
        this.database = Database.open(config.storage());
        Store store = database.store();
        this.lastUsed = new LastUsedRecorder(store);
        this.verifier = new CredentialVerifier(store, clock, config.identity().serviceAccountEmailDomain(), lastUsed);
        AuditLog auditLog = new AuditLog(store, clock);
        this.audit = new AuditService(store, auditLog);
        this.keys = new ApiKeyService(store, auditLog, verifier, clock, config.credentials());
        this.serviceAccounts = new ServiceAccountService(store, auditLog, keys, verifier, clock,
            config.identity().serviceAccountEmailDomain());
        this.verification = new VerificationService(verifier);
        this.generatedAdminKey = Bootstrap.run(store, auditLog, keys, config, clock);
    }

    public static Servitor start(ServitorConfig config, Clock clock) {
        return new Servitor(config, clock);
    }

    public ServitorConfig config() { return config; }
    public Store store() { return database.store(); }
    public Database database() { return database; }
    public CredentialVerifier verifier() { return verifier; }
    public LastUsedRecorder lastUsed() { return lastUsed; }
    public AuditService audit() { return audit; }
    public ApiKeyService keys() { return keys; }
    public ServiceAccountService serviceAccounts() { return serviceAccounts; }
    public VerificationService verification() { return verification; }

    /** The bootstrap admin key if this start generated it, to be printed once. */
    public Optional<String> generatedAdminKey() { return generatedAdminKey; }

    @Override
    public void close() {
        lastUsed.close();
        database.close();
    }
}
