// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.access.AccessStore;
import dev.servitor.apikey.ApiKeyStore;
import dev.servitor.audit.AuditStore;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.compute.ComputeSettingsStore;
import dev.servitor.directory.OrgStore;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.directory.UserStore;
import dev.servitor.federation.FederatedCredentialStore;
import dev.servitor.federation.IssuerStore;
import dev.servitor.network.NetworkPolicyStore;
import dev.servitor.oauthclient.ClientSecretStore;
import dev.servitor.publickey.PublicKeyStore;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import dev.servitor.token.RevokedTokenStore;
import dev.servitor.token.SigningKeyStore;
import dev.servitor.token.UsedTokenIdStore;
import dev.servitor.user.SessionStore;
import dev.servitor.webhook.KeyNoticeStore;
import dev.servitor.webhook.WebhookStore;
import dev.servitor.workspace.WorkspaceStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.StatementExceptions;

final class JdbiStore implements Store {
    private static final String NOTIFY = "SELECT pg_notify('" + PgChangeBus.CHANNEL + "', :payload)";
    /** How long after a write refused for lack of space the store reports itself full (see {@link #storageFull}). */
    static final long FULL_FOR_NANOS = 15_000_000_000L;
    private volatile boolean everFull;
    private volatile long lastFull;

    /** The table store of each feature's interface, as {@link Tx#table} hands them out. */
    private static final Map<Class<?>, Function<JdbiTx, ?>> TABLES = Map.ofEntries(
        Map.entry(OrgStore.class, tx -> new JdbiOrgStore(tx.h())),
        Map.entry(UserStore.class, tx -> new JdbiUserStore(tx.h())),
        Map.entry(ServiceAccountStore.class, tx -> new JdbiServiceAccountStore(tx.h())),
        Map.entry(ApiKeyStore.class, tx -> new JdbiApiKeyStore(tx.h())),
        Map.entry(AuditStore.class, tx -> new JdbiAuditStore(tx.h())),
        Map.entry(AccessStore.class, tx -> new JdbiAccessStore(tx.h())),
        Map.entry(SessionStore.class, tx -> new JdbiSessionStore(tx.h())),
        Map.entry(WorkspaceStore.class, tx -> new JdbiWorkspaceStore(tx.h())),
        Map.entry(ClientSecretStore.class, tx -> new JdbiClientSecretStore(tx.h())),
        Map.entry(PublicKeyStore.class, tx -> new JdbiPublicKeyStore(tx.h())),
        Map.entry(SigningKeyStore.class, tx -> new JdbiSigningKeyStore(tx.h())),
        Map.entry(RevokedTokenStore.class, tx -> new JdbiRevokedTokenStore(tx.h())),
        Map.entry(NetworkPolicyStore.class, tx -> new JdbiNetworkPolicyStore(tx.h())),
        Map.entry(ComputeSettingsStore.class, tx -> new JdbiComputeSettingsStore(tx.h())),
        Map.entry(WebhookStore.class, tx -> new JdbiWebhookStore(tx.h(), tx.notifies())),
        Map.entry(dev.servitor.policy.CredentialPolicyStore.class, tx -> new JdbiCredentialPolicyStore(tx.h())),
        Map.entry(KeyNoticeStore.class, tx -> new JdbiKeyNoticeStore(tx.h(), tx.notifies())),
        Map.entry(UsedTokenIdStore.class, tx -> new JdbiUsedTokenIdStore(tx.h())),
        Map.entry(IssuerStore.class, tx -> new JdbiIssuerStore(tx.h())),
        Map.entry(FederatedCredentialStore.class, tx -> new JdbiFederatedCredentialStore(tx.h())));

    private final Jdbi jdbi;
    private final boolean notifies;

    /** {@code notifies}: announcements are sent with NOTIFY (PostgreSQL); otherwise there is no other node to tell. */
    JdbiStore(DataSource dataSource, boolean notifies) {
        this.jdbi = Jdbi.create(dataSource);
        this.notifies = notifies;
        // Jdbi's messages list every bound argument and the driver's text (a row's values): they
        // reach log lines through toString(), so a statement's failure says only what failed.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(e -> e.getCause() == null
            ? e.getClass().getSimpleName() : DatabaseFailure.describe(e.getCause()));
    }

    @Override
    public <T> T write(Function<Tx, T> work) {
        return run(true, work);
    }

    @Override
    public <T> T read(Function<Tx, T> work) {
        return run(false, work);
    }

    private <T> T run(boolean transaction, Function<Tx, T> work) {
        List<Runnable> afterCommit = new ArrayList<>();
        HandleCallback<T, RuntimeException> callback = h -> work.apply(new JdbiTx(h, notifies, afterCommit));
        T result;
        try {
            result = transaction ? jdbi.inTransaction(callback) : jdbi.withHandle(callback);
        } catch (JdbiException e) {
            throw ConnectionFailures.isConnectionFailure(e) ? unavailable(e) : fullOr(e);
        }
        // the connection is back in the pool: a cache eviction waiting on a loader that waits
        // for a connection can no longer close a cycle
        afterCommit.forEach(Runnable::run);
        return result;
    }

    /** No connection could be had, or it broke: the caller may retry, so 503 rather than 500. */
    private static ServiceException unavailable(JdbiException e) {
        return new ServiceException(ErrorCode.UNAVAILABLE, "The database is not reachable; try again shortly", null,
            ConnectionFailures.describe(e));
    }

    /** A 503 {@code storage_full} when the disk (or the database's size limit) is full, else {@code e} as it is. */
    private RuntimeException fullOr(JdbiException e) {
        SQLException full = StorageFull.cause(e);
        if (full == null) return e;
        lastFull = System.nanoTime();
        everFull = true;
        // the database's message only: JDBI's would add the statement and its bound values
        return new ServiceException(ErrorCode.STORAGE_FULL,
            "The server's storage is full, so nothing was saved; try again once an operator has freed space", null, full.getMessage());
    }

    /**
     * Full from a refused write until {@link #FULL_FOR_NANOS} pass without another: nothing else
     * tells when space is back, and a node taken out of rotation gets no writes to find out.
     */
    @Override
    public boolean storageFull() {
        return everFull && System.nanoTime() - lastFull < FULL_FOR_NANOS;
    }

    @Override
    public boolean ping() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private record JdbiTx(Handle h, boolean notifies, List<Runnable> afterCommitActions) implements Tx {
        @Override
        public void announce(String payload) {
            if (notifies) h.createUpdate(NOTIFY).bind("payload", payload).execute();
        }

        @Override
        public void afterCommit(Runnable action) {
            afterCommitActions.add(action);
        }

        @Override
        public <S> S table(Class<S> type) {
            Function<JdbiTx, ?> open = TABLES.get(type);
            if (open == null) throw new IllegalArgumentException(type.getName() + " is not a table store");
            return type.cast(open.apply(this));
        }
    }
}
