// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import dev.servitor.apikey.RestrictionsInput;
import java.util.List;
import java.util.Optional;

/**
 * One parsed statement of docs/sql.md. Names are as written (bare identifiers keep their case;
 * quoted ones lose their quotes); an option that was not given is null. Nothing here has been
 * validated against the naming or any other rule: the services do that, as for REST.
 * {@link Visitor} makes every consumer handle every statement (Java 17 has no pattern switch).
 */
public sealed interface Statement {

    /** The statement's leading keywords, e.g. {@code CREATE SERVICE ACCOUNT}, for messages. */
    String kind();

    <R> R accept(Visitor<R> v);

    /** One method per statement, so that adding a statement breaks every consumer until it handles it. */
    interface Visitor<R> {
        R createServiceAccount(CreateServiceAccount s);
        R alterServiceAccount(AlterServiceAccount s);
        R dropServiceAccount(DropServiceAccount s);
        R showServiceAccounts(ShowServiceAccounts s);
        R generateServiceAccountKey(GenerateServiceAccountKey s);
        R createApiKey(CreateApiKey s);
        R alterApiKey(AlterApiKey s);
        R showApiKeys(ShowApiKeys s);
        R revokeApiKey(RevokeApiKey s);
        R createNetworkPolicy(CreateNetworkPolicy s);
        R alterNetworkPolicy(AlterNetworkPolicy s);
        R dropNetworkPolicy(DropNetworkPolicy s);
        R showNetworkPolicies(ShowNetworkPolicies s);
        R createUser(CreateUser s);
        R alterUser(AlterUser s);
        R dropUser(DropUser s);
        R showUsers(ShowUsers s);
        R alterOrganization(AlterOrganization s);
        R showOrganization(ShowOrganization s);
        R showWebhooks(ShowWebhooks s);
        R createFederationIssuer(CreateFederationIssuer s);
        R dropFederationIssuer(DropFederationIssuer s);
        R showFederationIssuers(ShowFederationIssuers s);
        R showWorkloadIdentities(ShowWorkloadIdentities s);
    }

    record CreateServiceAccount(String name, boolean ifNotExists, String description, String networkPolicy,
                                Boolean orgAdmin, String role, List<String> groups) implements Statement {
        public String kind() { return "CREATE SERVICE ACCOUNT"; }
        public <R> R accept(Visitor<R> v) { return v.createServiceAccount(this); }
    }

    /** {@code ALTER SERVICE ACCOUNT [IF EXISTS] name} followed by one {@link Action}. */
    record AlterServiceAccount(String name, boolean ifExists, Action action) implements Statement {
        public String kind() { return "ALTER SERVICE ACCOUNT"; }
        public <R> R accept(Visitor<R> v) { return v.alterServiceAccount(this); }

        public sealed interface Action {}

        /** {@code SET ...}; {@code networkPolicy} null: leave it, empty: {@code DEFAULT} (clear it). */
        public record SetOptions(String description, Optional<String> networkPolicy, Boolean orgAdmin, String role) implements Action {}

        public record RenameTo(String newName) implements Action {}

        /** {@code DISABLE} (true) or {@code ENABLE} (false). */
        public record SetDisabled(boolean disabled) implements Action {}

        /**
         * {@code ADD WORKLOAD IDENTITY name WITH ISSUER = issuer AUDIENCE = '…' [SUBJECT = '…']
         * [SUBJECT_PREFIX = '…'] [CONDITION = '…'] [TOKEN_LIFETIME = seconds]}: a federated credential.
         */
        public record AddWorkloadIdentity(String name, String issuer, String audience, String subject, String subjectPrefix,
                                          String condition, Long tokenLifetimeSeconds) implements Action {}

        /** {@code REMOVE WORKLOAD IDENTITY name}. */
        public record RemoveWorkloadIdentity(String name) implements Action {}
    }

    record DropServiceAccount(String name, boolean ifExists) implements Statement {
        public String kind() { return "DROP SERVICE ACCOUNT"; }
        public <R> R accept(Visitor<R> v) { return v.dropServiceAccount(this); }
    }

    record ShowServiceAccounts() implements Statement {
        public String kind() { return "SHOW SERVICE ACCOUNTS"; }
        public <R> R accept(Visitor<R> v) { return v.showServiceAccounts(this); }
    }

    /** {@code CALL GENERATE_SERVICE_ACCOUNT_KEY('name')} or its Firebolt name; {@code procedure} as written. */
    record GenerateServiceAccountKey(String procedure, String serviceAccount) implements Statement {
        public String kind() { return "CALL " + procedure; }
        public <R> R accept(Visitor<R> v) { return v.generateServiceAccountKey(this); }
    }

    /** {@code restrictions}: null when the statement names none. */
    record CreateApiKey(String name, String serviceAccount, String description, Long ttlSeconds, String type,
                        RestrictionsInput restrictions)
        implements Statement {
        public CreateApiKey(String name, String serviceAccount, String description, Long ttlSeconds, String type) {
            this(name, serviceAccount, description, ttlSeconds, type, null);
        }

        public String kind() { return "CREATE API KEY"; }
        public <R> R accept(Visitor<R> v) { return v.createApiKey(this); }
    }

    /** {@code ALTER API KEY id FOR SERVICE ACCOUNT sa SET ...}: the restrictions named change (NULL clears one), the rest stay. */
    record AlterApiKey(String keyId, String serviceAccount, RestrictionsInput restrictions) implements Statement {
        public String kind() { return "ALTER API KEY"; }
        public <R> R accept(Visitor<R> v) { return v.alterApiKey(this); }
    }

    record ShowApiKeys(String serviceAccount) implements Statement {
        public String kind() { return "SHOW API KEYS"; }
        public <R> R accept(Visitor<R> v) { return v.showApiKeys(this); }
    }

    record RevokeApiKey(String keyId, String serviceAccount) implements Statement {
        public String kind() { return "REVOKE API KEY"; }
        public <R> R accept(Visitor<R> v) { return v.revokeApiKey(this); }
    }

    record CreateNetworkPolicy(String name, boolean ifNotExists, List<String> allowedIps, List<String> blockedIps,
                               String description) implements Statement {
        public String kind() { return "CREATE NETWORK POLICY"; }
        public <R> R accept(Visitor<R> v) { return v.createNetworkPolicy(this); }
    }

    record AlterNetworkPolicy(String name, List<String> allowedIps, List<String> blockedIps, String description)
        implements Statement {
        public String kind() { return "ALTER NETWORK POLICY"; }
        public <R> R accept(Visitor<R> v) { return v.alterNetworkPolicy(this); }
    }

    record DropNetworkPolicy(String name, boolean ifExists) implements Statement {
        public String kind() { return "DROP NETWORK POLICY"; }
        public <R> R accept(Visitor<R> v) { return v.dropNetworkPolicy(this); }
    }

    record ShowNetworkPolicies() implements Statement {
        public String kind() { return "SHOW NETWORK POLICIES"; }
        public <R> R accept(Visitor<R> v) { return v.showNetworkPolicies(this); }
    }

    /** {@code workspace} null: the organization's default workspace. */
    record CreateUser(String name, boolean ifNotExists, String workspace, String serviceAccount, String login,
                      String defaultDatabase, String defaultEngine) implements Statement {
        public String kind() { return "CREATE USER"; }
        public <R> R accept(Visitor<R> v) { return v.createUser(this); }
    }

    /** Exactly one setting; {@code value} null means {@code SERVICE_ACCOUNT = DEFAULT} (unlink). */
    record AlterUser(String name, String workspace, Setting setting, String value) implements Statement {
        public enum Setting { SERVICE_ACCOUNT, DEFAULT_DATABASE, DEFAULT_ENGINE }

        public String kind() { return "ALTER USER"; }
        public <R> R accept(Visitor<R> v) { return v.alterUser(this); }
    }

    record DropUser(String name, boolean ifExists, String workspace) implements Statement {
        public String kind() { return "DROP USER"; }
        public <R> R accept(Visitor<R> v) { return v.dropUser(this); }
    }

    record ShowUsers(String workspace) implements Statement {
        public String kind() { return "SHOW USERS"; }
        public <R> R accept(Visitor<R> v) { return v.showUsers(this); }
    }

    /** {@code ALTER ORGANIZATION SET CREDENTIAL_POLICY (...)}: a partial change of the credential policy. */
    record AlterOrganization(dev.servitor.policy.CredentialPolicy.Patch credentialPolicy) implements Statement {
        public String kind() { return "ALTER ORGANIZATION"; }
        public <R> R accept(Visitor<R> v) { return v.alterOrganization(this); }
    }

    record ShowWebhooks() implements Statement {
        public String kind() { return "SHOW WEBHOOKS"; }
        public <R> R accept(Visitor<R> v) { return v.showWebhooks(this); }
    }

    record ShowOrganization() implements Statement {
        public String kind() { return "SHOW ORGANIZATION"; }
        public <R> R accept(Visitor<R> v) { return v.showOrganization(this); }
    }

    /**
     * {@code CREATE FEDERATION ISSUER [IF NOT EXISTS] name WITH ISSUER_URL = '…' [JWKS_URI = '…'] [JWKS = '…']
     * [MAX_TOKEN_AGE = seconds] [REQUIRE_JTI = TRUE|FALSE]}.
     */
    record CreateFederationIssuer(String name, boolean ifNotExists, String issuerUrl, String jwksUri, String jwks,
                                  Long maxTokenAgeSeconds, Boolean requireJti) implements Statement {
        public String kind() { return "CREATE FEDERATION ISSUER"; }
        public <R> R accept(Visitor<R> v) { return v.createFederationIssuer(this); }
    }

    record DropFederationIssuer(String name, boolean ifExists) implements Statement {
        public String kind() { return "DROP FEDERATION ISSUER"; }
        public <R> R accept(Visitor<R> v) { return v.dropFederationIssuer(this); }
    }

    record ShowFederationIssuers() implements Statement {
        public String kind() { return "SHOW FEDERATION ISSUERS"; }
        public <R> R accept(Visitor<R> v) { return v.showFederationIssuers(this); }
    }

    record ShowWorkloadIdentities(String serviceAccount) implements Statement {
        public String kind() { return "SHOW WORKLOAD IDENTITIES"; }
        public <R> R accept(Visitor<R> v) { return v.showWorkloadIdentities(this); }
    }
}
