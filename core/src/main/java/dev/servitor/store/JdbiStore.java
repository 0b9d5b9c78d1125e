// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store;

import dev.servitor.access.AccessStore;
import dev.servitor.account.ServiceAccountStore;
import dev.servitor.apikey.ApiKeyStore;
import dev.servitor.audit.AuditStore;
import dev.servitor.compute.ComputeSettingsStore;
import dev.servitor.network.NetworkPolicyStore;
import dev.servitor.oauthclient.ClientSecretStore;
import dev.servitor.org.OrgStore;
import dev.servitor.token.RevokedTokenStore;
import dev.servitor.token.SigningKeyStore;
import dev.servitor.user.SessionStore;
import dev.servitor.user.UserStore;
import dev.servitor.workspace.WorkspaceStore;
import java.util.function.Function;
import javax.sql.DataSource;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;

final class JdbiStore implements Store {
    private final Jdbi jdbi;

    JdbiStore(DataSource dataSource) {
        this.jdbi = Jdbi.create(dataSource);
        // Jdbi's messages list every bound argument and the driver's text (a row's values): they
        // reach log lines through toString(), so a statement's failure says only what failed.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(e -> e.getCause() == null
            ? e.getClass().getSimpleName() : DatabaseFailure.describe(e.getCause()));
    }

    @Override
    public <T> T write(Function<Tx, T> work) {
        try {
            return jdbi.inTransaction(h -> work.apply(new JdbiTx(h)));
        } catch (ConnectionException e) {
            throw unavailable(e);
        }
    }

    @Override
    public <T> T read(Function<Tx, T> work) {
        try {
            return jdbi.withHandle(h -> work.apply(new JdbiTx(h)));
        } catch (ConnectionException e) {
            throw unavailable(e);
        }
    }

    /** No connection could be had: the caller may retry, so 503 rather than 500. */
    private static ServiceException unavailable(ConnectionException e) {
        return new ServiceException(ErrorCode.UNAVAILABLE, "The database is not reachable; try again shortly", null, e.toString());
    }

    @Override
    public boolean ping() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private record JdbiTx(Handle h) implements Tx {
        @Override public OrgStore orgs() { return new JdbiOrgStore(h); }
        @Override public UserStore users() { return new JdbiUserStore(h); }
        @Override public ServiceAccountStore serviceAccounts() { return new JdbiServiceAccountStore(h); }
        @Override public ApiKeyStore keys() { return new JdbiApiKeyStore(h); }
        @Override public AuditStore audit() { return new JdbiAuditStore(h); }
        @Override public AccessStore access() { return new JdbiAccessStore(h); }
        @Override public SessionStore sessions() { return new JdbiSessionStore(h); }
        @Override public WorkspaceStore workspaces() { return new JdbiWorkspaceStore(h); }
        @Override public ClientSecretStore clientSecrets() { return new JdbiClientSecretStore(h); }
        @Override public SigningKeyStore signingKeys() { return new JdbiSigningKeyStore(h); }
        @Override public RevokedTokenStore revokedTokens() { return new JdbiRevokedTokenStore(h); }
        @Override public NetworkPolicyStore networkPolicies() { return new JdbiNetworkPolicyStore(h); }
        @Override public ComputeSettingsStore computeSettings() { return new JdbiComputeSettingsStore(h); }
    }
}
