// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.servitor.account.NewServiceAccount;
import dev.servitor.audit.AuditEvent;
import dev.servitor.audit.AuditQuery;
import dev.servitor.caller.Caller;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.PageRequest;
import dev.servitor.oauth.TokenService;
import dev.servitor.testing.EngineContract;
import dev.servitor.testing.Refusals;
import dev.servitor.testing.TestDatabases.Engine;
import dev.servitor.testing.TestServitor;
import dev.servitor.token.OAuthException;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Refusals that the services decide themselves (not only the server's permission gate) are
 * recorded like every other: one {@code denied} event with the action the caller attempted, in
 * the caller's organization, by the caller. Called here as the SQL interface, the CLI's server
 * and any future interface call them, with no HTTP in front.
 */
class RefusalAuditTest {

    @Nested
    class OnSqlite extends Contract {
        @Override protected Engine engine() { return Engine.SQLITE; }
    }

    @Nested
    class OnPostgres extends Contract {
        @Override protected Engine engine() { return Engine.POSTGRES; }
    }

    abstract static class Contract extends EngineContract {
        private int round;

        /** A caller holding a service account's key; {@code orgAdmin}: an org admin, but never the instance operator. */
        private Caller serviceAccount(boolean orgAdmin) {
            return t.callerOf(keyOfNew(orgAdmin));
        }

        /** The key of a new service account of the bootstrap admin's organization. */
        private String keyOfNew(boolean orgAdmin) {
            NewServiceAccount account = new NewServiceAccount("refused-" + (++round), null, null, null, null, orgAdmin);
            return servitor.serviceAccounts().create(admin, account, false, true).key().secret();
        }

        private List<AuditEvent> deniedEventsOf(Caller caller, String action) {
            return servitor.audit().list(admin, new AuditQuery(caller.principal().id(), action, null, null, null), PageRequest.first(100))
                .items().stream().filter(e -> e.outcome().equals(AuditEvent.DENIED)).toList();
        }

        @Test
        void creating_an_organization_as_an_org_admin_who_is_not_the_operator_is_refused_and_recorded() {
            Caller orgAdmin = serviceAccount(true);

            Refusals.assertRefused(ErrorCode.FORBIDDEN, () -> servitor.orgs().create(orgAdmin, "elsewhere", "boss", "boss@example.com"));

            assertThat(deniedEventsOf(orgAdmin, "org.create")).singleElement()
                .satisfies(e -> assertThat(e.target()).isEqualTo("org:elsewhere"))
                .satisfies(e -> assertThat(e.orgId()).isEqualTo(orgAdmin.orgId()));
        }

        @Test
        void listing_organizations_as_anyone_but_the_operator_is_refused_and_recorded() {
            Caller orgAdmin = serviceAccount(true);

            Refusals.assertRefused(ErrorCode.FORBIDDEN, () -> servitor.orgs().list(orgAdmin, PageRequest.first(10)));

            assertThat(deniedEventsOf(orgAdmin, "org.list")).singleElement()
                .satisfies(e -> assertThat(e.target()).isEqualTo("org:*"));
        }

        @Test
        void the_operator_creating_an_organization_leaves_no_refusal() {
            servitor.orgs().create(admin, "granted", "boss", "boss@example.com");

            assertThat(deniedEventsOf(admin, "org.create")).isEmpty();
        }

        @Test
        void verifying_a_credential_without_the_verify_permission_is_refused_and_recorded() {
            Caller member = serviceAccount(false);

            Refusals.assertRefused(ErrorCode.FORBIDDEN, () -> servitor.verification().verify(member, t.adminKey(), null, null));

            assertThat(deniedEventsOf(member, "credential.verify")).singleElement()
                .satisfies(e -> assertThat(e.target()).isEqualTo("verify"));
        }

        @Test
        void a_token_exchange_whose_actor_is_not_an_org_admin_is_refused_with_access_denied_and_recorded() {
            String memberKey = keyOfNew(false);
            Caller member = t.callerOf(memberKey);
            String target = serviceAccount(false).principal().id();

            OAuthException refused = catchThrowableOfType(OAuthException.class,
                () -> servitor.tokens().exchange(memberKey, target, TokenService.Requested.NOTHING, TestServitor.CLIENT_IP));

            assertThat(refused).isNotNull();
            assertThat(refused.error()).isEqualTo(OAuthException.ACCESS_DENIED);
            assertThat(deniedEventsOf(member, "impersonation.start")).singleElement()
                .satisfies(e -> assertThat(e.target()).isEqualTo("service_account:" + target));
        }

        @Test
        void a_token_exchange_naming_no_well_formed_account_records_no_text_of_the_request() {
            String key = keyOfNew(false);
            Caller forger = t.callerOf(key);

            OAuthException refused = catchThrowableOfType(OAuthException.class,
                () -> servitor.tokens().exchange(key, "sa_\n2026-12-06 forged log line", TokenService.Requested.NOTHING, TestServitor.CLIENT_IP));

            assertThat(refused).isNotNull();
            assertThat(deniedEventsOf(forger, "impersonation.start")).singleElement()
                .satisfies(e -> assertThat(e.target()).isEqualTo("service_account:(invalid id)"));
        }
    }
}
