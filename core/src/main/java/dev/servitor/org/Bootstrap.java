// SPDX-License-Identifier: Apache-2.0
package dev.servitor.org;

import dev.servitor.apikey.ApiKeyService;
import dev.servitor.audit.AuditLog;
import dev.servitor.caller.Caller;
import dev.servitor.caller.OwnerKind;
import dev.servitor.common.Ids;
import dev.servitor.config.ServitorConfig;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.directory.OrgStore;
import dev.servitor.directory.Organization;
import dev.servitor.directory.User;
import dev.servitor.directory.UserStore;
import dev.servitor.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The first start: on an empty store, creates organization {@code default} and user
 * {@code admin} (org admin and instance operator) with a personal API key. Later starts do
 * nothing, whatever the environment says.
 */
public final class Bootstrap {
    public static final String DEFAULT_ORG = "default";
    public static final String ADMIN_USERNAME = "admin";

    private Bootstrap() {}

    /** Rejects a malformed {@code SERVITOR_ADMIN_TOKEN} before anything starts. */
    public static void checkAdminToken(ServitorConfig config) {
        String token = config.identity().adminToken();
        if (token != null && !SecretFormat.isWellFormed(token, config.credentials().keyPrefix())) {
            throw new IllegalArgumentException("SERVITOR_ADMIN_TOKEN is not a well-formed Servitor key with prefix '"
                + config.credentials().keyPrefix() + "'; run `servitor admin-token` to make one");
        }
    }

    /**
     * Seeds an empty store. Returns the admin key's secret when this call generated it (the
     * caller prints it once); empty when the store was already seeded or the key came from
     * {@code SERVITOR_ADMIN_TOKEN}.
     */
    public static Optional<String> run(Store store, AuditLog audit, ApiKeyService keys, OrgService orgs, ServitorConfig config,
                                       Clock clock) {
        checkAdminToken(config);
        return store.write(tx -> {
            if (tx.table(OrgStore.class).any()) return Optional.<String>empty();
            Instant now = clock.instant();
            Caller system = Caller.system();
            Organization org = orgs.insert(tx, system, DEFAULT_ORG);
            User admin = User.builder().id(Ids.newId("usr")).orgId(org.id()).username(ADMIN_USERNAME)
                .email(config.identity().adminEmail()).role("admin").orgAdmin(true).operator(true)
                .createdAt(now).updatedAt(now).build();
            tx.table(UserStore.class).insert(admin);
            audit.append(tx, org.id(), system, "user.create", "user:" + ADMIN_USERNAME,
                Map.of("id", admin.id(), "is_org_admin", "true", "is_operator", "true"));
            String given = config.identity().adminToken();
            String secret = given != null ? given : SecretFormat.generate(config.credentials().keyPrefix());
            keys.insertWithSecret(tx, system, new ApiKeyService.Owner(OwnerKind.USER, admin.id(), ADMIN_USERNAME, org.id()),
                "bootstrap", secret);
            return given != null ? Optional.<String>empty() : Optional.of(secret);
        });
    }
}
