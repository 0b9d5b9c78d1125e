// SPDX-License-Identifier: Apache-2.0
package dev.servitor.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.audit.AuditEvent;
import dev.servitor.audit.AuditQuery;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountFilter;
import dev.servitor.testing.EngineContract;
import dev.servitor.testing.Race;
import dev.servitor.testing.TestDatabases.Engine;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Names stay unique when creations and renames race, and a race never surfaces as anything but
 * the documented answers: the account (under if_not_exists) or service_account_exists.
 */
class ServiceAccountRaceTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 3;

    @Nested
    class OnSqlite extends Contract {
        @Override protected Engine engine() { return Engine.SQLITE; }
    }

    @Nested
    class OnPostgres extends Contract {
        @Override protected Engine engine() { return Engine.POSTGRES; }
    }

    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    abstract static class Contract extends EngineContract {

        @Test
        void racing_if_not_exists_creates_all_answer_with_the_one_account_created_once() throws Exception {
            for (int round = 0; round < ROUNDS; round++) {
                String name = "ine-race-" + round;
                List<ServiceAccountService.Created> results = Race.run(THREADS, THREADS, i ->
                    servitor.serviceAccounts().create(admin, new NewServiceAccount(name, null, null, null, null, null), true, false));

                assertThat(results).filteredOn(ServiceAccountService.Created::created).as("round %d", round).hasSize(1);
                assertThat(results).extracting(r -> r.account().id()).as("round %d", round).containsOnly(
                    servitor.serviceAccounts().get(admin, name).id());
                assertThat(createEvents(name)).as("round %d", round).isEqualTo(1);
            }
        }

        @Test
        void racing_plain_creates_create_once_and_refuse_the_rest_as_existing() throws Exception {
            for (int round = 0; round < ROUNDS; round++) {
                String name = "plain-race-" + round;
                List<ErrorCode> results = Race.run(THREADS, THREADS, i -> {
                    try {
                        servitor.serviceAccounts().create(admin, new NewServiceAccount(name, null, null, null, null, null), false, false);
                        return null;
                    } catch (ServiceException e) {
                        return e.code();
                    }
                });

                assertThat(results).filteredOn(r -> r == null).as("round %d: created", round).hasSize(1);
                assertThat(results).filteredOn(r -> r != null).as("round %d: refused", round)
                    .hasSize(THREADS - 1).containsOnly(ErrorCode.SERVICE_ACCOUNT_EXISTS);
                assertThat(createEvents(name)).as("round %d", round).isEqualTo(1);
            }
        }

        @Test
        void racing_renames_onto_one_name_let_exactly_one_through() throws Exception {
            for (int i = 0; i < THREADS; i++) {
                servitor.serviceAccounts().create(admin, new NewServiceAccount("rn-src-" + i, null, null, null, null, null), false, false);
            }
            List<ErrorCode> results = Race.run(THREADS, THREADS, i -> {
                try {
                    servitor.serviceAccounts().update(admin, "rn-src-" + i, new ServiceAccountPatch("rn-target", null, null, null, null, null));
                    return null;
                } catch (ServiceException e) {
                    return e.code();
                }
            });

            assertThat(results).filteredOn(r -> r == null).hasSize(1);
            assertThat(results).filteredOn(r -> r != null).hasSize(THREADS - 1).containsOnly(ErrorCode.SERVICE_ACCOUNT_EXISTS);
            assertThat(servitor.serviceAccounts().list(admin, new ServiceAccountFilter("rn-", null, null, null), PageRequest.first(100))
                .items()).hasSize(THREADS).extracting(ServiceAccount::name).containsOnlyOnce("rn-target");
            assertThat(servitor.audit().verify(admin).intact()).isTrue();
        }

        private long createEvents(String name) {
            return servitor.audit().list(admin, new AuditQuery(null, "service_account.create", "service_account:" + name, null, null),
                PageRequest.first(100)).items().stream().filter(e -> e.outcome().equals(AuditEvent.SUCCESS)).count();
        }
    }
}
