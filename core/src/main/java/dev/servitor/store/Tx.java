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
import dev.servitor.webhook.WebhookStore;
import dev.servitor.workspace.WorkspaceStore;

/** The table stores of one open transaction. */
public interface Tx {
    OrgStore orgs();
    UserStore users();
    ServiceAccountStore serviceAccounts();
    ApiKeyStore keys();
    AuditStore audit();
    AccessStore access();
    SessionStore sessions();
    WorkspaceStore workspaces();
    ClientSecretStore clientSecrets();
    SigningKeyStore signingKeys();
    RevokedTokenStore revokedTokens();
    NetworkPolicyStore networkPolicies();
    ComputeSettingsStore computeSettings();
    WebhookStore webhooks();

    /**
     * Tells every other node about this transaction's change (PostgreSQL NOTIFY, sent by the
     * database at commit and never without it, so a node killed right after the commit cannot
     * leave the others unaware). Does nothing on SQLite, which has one node.
     */
    void announce(String payload);

    /** Runs {@code action} on this node once the transaction has committed (never if it rolls back). */
    void afterCommit(Runnable action);
}
