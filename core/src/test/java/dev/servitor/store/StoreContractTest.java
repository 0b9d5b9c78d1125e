// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store;

import static dev.servitor.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.Servitor;
import dev.servitor.account.NewServiceAccount;
import dev.servitor.account.ServiceAccountPatch;
import dev.servitor.account.ServiceAccountService;
import dev.servitor.apikey.ApiKey;
import dev.servitor.apikey.ApiKeyStore;
import dev.servitor.apikey.CreatedKey;
import dev.servitor.apikey.KeyType;
import dev.servitor.apikey.NewKey;
import dev.servitor.audit.AuditEvent;
import dev.servitor.audit.AuditQuery;
import dev.servitor.authn.Verification;
import dev.servitor.authn.VerificationCode;
import dev.servitor.caller.Caller;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.caller.PrincipalType;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.config.ServitorConfig;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountFilter;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.testing.EngineContract;
import dev.servitor.testing.TestDatabases.Engine;
import dev.servitor.testing.TestDatabases;
import dev.servitor.testing.TestServitor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The storage contract, run through the services on both engines: what a service account and
 * key command stores is what reads and verification see, identically on SQLite and PostgreSQL.
 * One database per engine serves the whole class (starting one is slow), so every test works
 * on service accounts with names of its own.
 */
class StoreContractTest {

    @Nested
    class OnSqlite extends Contract {
        @Override protected Engine engine() { return Engine.SQLITE; }
    }

    @Nested
    class OnPostgres extends Contract {
        @Override protected Engine engine() { return Engine.POSTGRES; }
    }

    abstract static class Contract extends EngineContract {
        private static final String IP = "203.0.113.7";


        // ---- opening ------------------------------------------------------------------------

        @Test
        void store_opens_migrated_on_its_engine_and_answers() {
            assertThat(servitor.store().ping()).isTrue();
            assertThat(servitor.database().dialect().name()).isEqualTo(engine().name());
            assertThat(admin.principal().type()).isEqualTo(PrincipalType.USER);
            assertThat(admin.principal().name()).isEqualTo("admin");
            assertThat(admin.principal().orgName()).isEqualTo("default");
        }

        // ---- create / get / list ------------------------------------------------------------

        @Test
        void created_account_reads_back_with_every_field() {
            ServiceAccountService.Created created = accounts().create(admin,
                new NewServiceAccount("cg-bot", "builds things", "viewer", null, null, null), false, false);

            assertThat(created.created()).isTrue();
            assertThat(created.key()).isNull();
            ServiceAccount sa = accounts().get(admin, "cg-bot");
            assertThat(sa).isEqualTo(created.account());
            assertThat(sa.id()).startsWith("sa_");
            assertThat(sa.orgId()).isEqualTo(admin.orgId());
            assertThat(sa.name()).isEqualTo("cg-bot");
            assertThat(sa.description()).isEqualTo("builds things");
            assertThat(sa.role()).isEqualTo("viewer");
            assertThat(sa.orgAdmin()).isFalse();
            assertThat(sa.disabled()).isFalse();
            assertThat(sa.createdAt()).isEqualTo(clock.instant());
            assertThat(sa.updatedAt()).isEqualTo(clock.instant());
            assertThat(sa.createdBy()).isEqualTo("admin@localhost");
            assertThat(sa.keyCount()).isZero();
            assertThat(accounts().email(admin, sa)).isEqualTo("cg-bot@default.sa.servitor.local");
        }

        @Test
        void the_verifiers_principal_read_brings_organization_and_groups_in_one_row_set() {
            servitor.access().createGroup(admin, "pr-zeta", null, java.util.List.of("viewer"));
            servitor.access().createGroup(admin, "pr-alpha", null, java.util.List.of("contributor"));
            ServiceAccount grouped = accounts().create(admin,
                new NewServiceAccount("pr-grouped", null, "viewer", java.util.List.of("pr-zeta", "pr-alpha"), null, null), false, false).account();
            ServiceAccount alone = create("pr-alone");

            var p = servitor.store().read(tx -> tx.table(ServiceAccountStore.class).findPrincipalById(grouped.id())).orElseThrow();
            assertThat(p.account().name()).isEqualTo("pr-grouped");
            assertThat(p.account().role()).isEqualTo("viewer");
            assertThat(p.orgName()).isEqualTo("default");
            assertThat(p.orgRequiresGroup()).isFalse();
            assertThat(p.groups()).containsExactly("pr-alpha", "pr-zeta");
            assertThat(servitor.store().read(tx -> tx.table(ServiceAccountStore.class).findPrincipalById(alone.id())).orElseThrow().groups()).isEmpty();
            java.util.Optional<?> nobody = servitor.store().read(tx -> tx.table(ServiceAccountStore.class).findPrincipalById("sa_nobody"));
            assertThat(nobody).isEmpty();
        }

        @Test
        void account_defaults_to_role_user_and_empty_description() {
            ServiceAccount sa = create("cd-bot");
            assertThat(sa.role()).isEqualTo("user");
            assertThat(sa.description()).isEmpty();
        }

        @Test
        void issue_key_at_creation_returns_a_default_key_that_verifies() {
            ServiceAccountService.Created created = accounts().create(admin,
                new NewServiceAccount("ik-bot", null, null, null, null, null), false, true);

            assertThat(created.key()).isNotNull();
            assertThat(created.key().key().name()).isEqualTo("default");
            assertThat(verify(created.key().secret())).isEqualTo(VerificationCode.VALID);
            assertThat(accounts().get(admin, "ik-bot").keyCount()).isEqualTo(1);
        }

        @Test
        void paging_by_two_returns_every_account_exactly_once_in_name_order() {
            // byte order, as on both engines: '9' < 'B' < '_' < 'a' < 'b'
            for (String n : List.of("page-b", "page-_", "page-B", "page-a", "page-9")) create(n);

            List<String> seen = new ArrayList<>();
            List<Integer> pageSizes = new ArrayList<>();
            String token = null;
            do {
                Page<ServiceAccount> page = accounts().list(admin, filter("page-", null, null), PageRequest.of(2, token));
                page.items().forEach(sa -> seen.add(sa.name()));
                pageSizes.add(page.items().size());
                token = page.nextPageToken();
            } while (token != null);

            assertThat(seen).containsExactly("page-9", "page-B", "page-_", "page-a", "page-b");
            assertThat(pageSizes).containsExactly(2, 2, 1);
        }

        @Test
        void a_full_last_page_has_no_next_page_token() {
            for (String n : List.of("full-a", "full-b", "full-c", "full-d")) create(n);
            Page<ServiceAccount> first = accounts().list(admin, filter("full-", null, null), PageRequest.of(2, null));
            Page<ServiceAccount> second = accounts().list(admin, filter("full-", null, null),
                PageRequest.of(2, first.nextPageToken()));
            assertThat(names(second)).containsExactly("full-c", "full-d");
            assertThat(second.nextPageToken()).isNull();
        }

        @Test
        void name_prefix_filter_returns_exactly_the_names_starting_with_it() {
            for (String n : List.of("pfx-one", "pfx-two", "pfxa", "xpfx-three", "pf")) create(n);

            assertThat(names(list(filter("pfx-", null, null)))).containsExactly("pfx-one", "pfx-two");
            assertThat(names(list(filter("pfx", null, null)))).containsExactly("pfx-one", "pfx-two", "pfxa");
            assertThat(names(list(filter("pfx-t", null, null)))).containsExactly("pfx-two");
            assertThat(names(list(filter("pfx-two", null, null)))).containsExactly("pfx-two");
            assertThat(names(list(filter("pfx-twox", null, null)))).isEmpty();
        }

        @Test
        void role_filter_returns_only_accounts_of_that_role() {
            create("rf-plain");
            accounts().create(admin, new NewServiceAccount("rf-infer", null, "inference-user", null, null, null), false, false);
            accounts().create(admin, new NewServiceAccount("rf-view", null, "viewer", null, null, null), false, false);

            // no other test uses inference-user, so the role filter alone must find exactly this one
            assertThat(names(list(filter(null, "inference-user", null)))).containsExactly("rf-infer");
            assertThat(names(list(filter("rf-", "viewer", null)))).containsExactly("rf-view");
            assertThat(names(list(filter("rf-", "user", null)))).containsExactly("rf-plain");
            assertThat(names(list(filter("rf-", "admin", null)))).isEmpty();
        }

        @Test
        void disabled_filter_separates_disabled_from_enabled_accounts() {
            create("df-on");
            create("df-off");
            accounts().setDisabled(admin, "df-off", true);

            assertThat(names(list(filter("df-", null, true)))).containsExactly("df-off");
            assertThat(names(list(filter("df-", null, false)))).containsExactly("df-on");
            assertThat(names(list(filter("df-", null, null)))).containsExactly("df-off", "df-on");
        }

        @Test
        void listed_account_counts_its_live_keys() {
            create("kc-bot");
            key("kc-bot", "a");
            CreatedKey b = key("kc-bot", "b");
            servitor.keys().revoke(admin, sa("kc-bot"), b.key().id());

            assertThat(list(filter("kc-bot", null, null)).items()).singleElement()
                .satisfies(sa -> assertThat(sa.keyCount()).isEqualTo(1));
        }

        // ---- update / rename ----------------------------------------------------------------

        @Test
        void rename_keeps_the_accounts_keys_verifying() {
            ServiceAccount before = create("rn-old");
            CreatedKey key = key("rn-old", "k");
            assertThat(verify(key.secret())).isEqualTo(VerificationCode.VALID);

            ServiceAccount after = accounts().update(admin, "rn-old", new ServiceAccountPatch("rn-new", null, null, null, null, null));

            assertThat(after.id()).isEqualTo(before.id());
            assertThat(after.name()).isEqualTo("rn-new");
            Verification v = servitor.verifier().verify(key.secret(), IP);
            assertThat(v.code()).isEqualTo(VerificationCode.VALID);
            assertThat(v.caller().principal().name()).isEqualTo("rn-new"); // the cached principal was evicted
            assertThat(accounts().get(admin, "rn-new").keyCount()).isEqualTo(1);
            assertThat(servitor.keys().list(admin, sa("rn-new"))).extracting(ApiKey::id).containsExactly(key.key().id());
            assertRefused(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, () -> accounts().get(admin, "rn-old"));
        }

        @Test
        void update_changes_only_the_fields_given() {
            clock.advanceSeconds(5);
            create("up-bot");
            clock.advanceSeconds(5);
            ServiceAccount after = accounts().update(admin, "up-bot",
                new ServiceAccountPatch(null, "now described", "contributor", null, null, null));

            assertThat(after.description()).isEqualTo("now described");
            assertThat(after.role()).isEqualTo("contributor");
            assertThat(after.name()).isEqualTo("up-bot");
            assertThat(after.updatedAt()).isEqualTo(clock.instant());
            assertThat(after.createdAt()).isEqualTo(clock.instant().minusSeconds(5));
            assertThat(accounts().get(admin, "up-bot")).isEqualTo(after);
        }

        // ---- uniqueness ---------------------------------------------------------------------

        @Test
        void creating_a_duplicate_name_is_refused_with_service_account_exists() {
            create("dup-bot");
            ServiceException e = assertRefused(ErrorCode.SERVICE_ACCOUNT_EXISTS, () -> create("dup-bot"));
            assertThat(e.field()).isEqualTo("name");
            assertThat(e.code().status()).isEqualTo(409);
        }

        @Test
        void renaming_onto_an_existing_name_is_refused_with_service_account_exists() {
            create("ren-a");
            create("ren-b");
            assertRefused(ErrorCode.SERVICE_ACCOUNT_EXISTS,
                () -> accounts().update(admin, "ren-a", new ServiceAccountPatch("ren-b", null, null, null, null, null)));
            assertThat(accounts().get(admin, "ren-a").name()).isEqualTo("ren-a");
        }

        @Test
        void if_not_exists_returns_the_existing_account_unchanged_with_created_false() {
            ServiceAccount original = accounts().create(admin,
                new NewServiceAccount("ine-bot", "first", "viewer", null, null, null), false, false).account();
            long auditBefore = newestAuditSeq();

            ServiceAccountService.Created again = accounts().create(admin,
                new NewServiceAccount("ine-bot", "second", "admin", null, null, null), true, true);

            assertThat(again.created()).isFalse();
            assertThat(again.key()).isNull(); // no key is issued for an account that was not created
            assertThat(again.account()).isEqualTo(original);
            assertThat(accounts().get(admin, "ine-bot").description()).isEqualTo("first");
            assertThat(newestAuditSeq()).isEqualTo(auditBefore);
        }

        // ---- disable / enable / delete -------------------------------------------------------

        @Test
        void disabled_account_keys_verify_disabled_and_valid_again_after_enable() {
            create("dis-bot");
            CreatedKey key = key("dis-bot", "k");
            assertThat(verify(key.secret())).isEqualTo(VerificationCode.VALID);

            assertThat(accounts().setDisabled(admin, "dis-bot", true).disabled()).isTrue();
            assertThat(verify(key.secret())).isEqualTo(VerificationCode.DISABLED);
            assertThat(accounts().get(admin, "dis-bot").disabled()).isTrue();

            assertThat(accounts().setDisabled(admin, "dis-bot", false).disabled()).isFalse();
            assertThat(verify(key.secret())).isEqualTo(VerificationCode.VALID);
        }

        @Test
        void deleted_account_keys_verify_revoked_and_the_account_is_not_found() {
            create("del-bot");
            CreatedKey k1 = key("del-bot", "one");
            CreatedKey k2 = key("del-bot", "two");
            assertThat(verify(k1.secret())).isEqualTo(VerificationCode.VALID);

            accounts().delete(admin, "del-bot");

            assertThat(verify(k1.secret())).isEqualTo(VerificationCode.REVOKED);
            assertThat(verify(k2.secret())).isEqualTo(VerificationCode.REVOKED);
            assertRefused(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, () -> accounts().get(admin, "del-bot"));
            assertThat(names(list(filter("del-bot", null, null)))).isEmpty();
            assertRefused(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, () -> accounts().delete(admin, "del-bot"));
        }

        @Test
        void a_name_freed_by_delete_can_be_reused_without_reviving_old_keys() {
            ServiceAccount first = create("reuse-bot");
            CreatedKey old = key("reuse-bot", "k");
            accounts().delete(admin, "reuse-bot");

            ServiceAccount second = create("reuse-bot");

            assertThat(second.id()).isNotEqualTo(first.id());
            assertThat(second.keyCount()).isZero();
            assertThat(verify(old.secret())).isEqualTo(VerificationCode.REVOKED);
        }

        // ---- keys ---------------------------------------------------------------------------

        @Test
        void created_key_is_well_formed_stored_as_hash_and_verifies_as_its_account() {
            ServiceAccount owner = create("key-bot");
            CreatedKey created = servitor.keys().create(admin, sa("key-bot"),
                new NewKey("ci", "for CI", "read_scaling", null, null));

            assertThat(created.secret()).matches("svt_[0-9A-Za-z]{49}");
            assertThat(created.key().id()).startsWith("key_");
            assertThat(created.key().prefix()).isEqualTo(created.secret().substring(0, 8));
            assertThat(created.key().type()).isEqualTo(KeyType.READ_SCALING);
            assertThat(created.key().expiresAt()).isNull();
            assertThat(created.toString()).doesNotContain(created.secret());
            Verification v = servitor.verifier().verify(created.secret(), IP);
            assertThat(v.code()).isEqualTo(VerificationCode.VALID);
            assertThat(v.caller().principal().id()).isEqualTo(owner.id());
            assertThat(v.caller().credential().type()).isEqualTo("read_scaling");
        }

        @Test
        void only_the_sha256_of_a_secret_is_stored() throws SQLException {
            create("hash-bot");
            CreatedKey created = key("hash-bot", "k");

            Map<String, String> row = new LinkedHashMap<>();
            try (Connection c = servitor.database().dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT * FROM api_keys WHERE id = ?")) {
                ps.setString(1, created.key().id());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT), rs.getString(i));
                    }
                }
            }
            assertThat(row.get("secret_hash")).isEqualTo(sha256Hex(created.secret()));
            assertThat(row.values()).noneMatch(v -> v != null && v.contains(created.secret().substring(8)));
        }

        @Test
        void a_key_with_a_ttl_verifies_until_its_expiry_and_expired_from_then_on() {
            create("exp-bot");
            CreatedKey key = servitor.keys().create(admin, sa("exp-bot"), new NewKey("short", null, null, 3600L, null));
            assertThat(key.key().expiresAt()).isEqualTo(clock.instant().plusSeconds(3600));

            clock.advanceSeconds(3599);
            assertThat(verify(key.secret())).isEqualTo(VerificationCode.VALID);
            clock.advanceSeconds(1);
            assertThat(verify(key.secret())).isEqualTo(VerificationCode.EXPIRED);
            assertThat(servitor.keys().list(admin, sa("exp-bot"))).isEmpty();
            assertThat(accounts().get(admin, "exp-bot").keyCount()).isZero();
        }

        @Test
        void expires_in_days_sets_the_expiry_that_many_days_ahead() {
            create("days-bot");
            CreatedKey key = servitor.keys().create(admin, sa("days-bot"), new NewKey("d", null, null, null, 2L));
            assertThat(key.key().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(2)));
            clock.advance(Duration.ofDays(2));
            assertThat(verify(key.secret())).isEqualTo(VerificationCode.EXPIRED);
        }

        @Test
        void rotated_key_keeps_working_during_the_grace_and_is_revoked_after() {
            create("rot-bot");
            CreatedKey old = servitor.keys().create(admin, sa("rot-bot"), new NewKey("svc", "d", "read_scaling", 86_400L, null));

            CreatedKey fresh = servitor.keys().rotate(admin, sa("rot-bot"), old.key().id(), 300L);

            assertThat(fresh.secret()).isNotEqualTo(old.secret());
            assertThat(fresh.key().name()).isEqualTo("svc");
            assertThat(fresh.key().type()).isEqualTo(KeyType.READ_SCALING);
            assertThat(fresh.key().expiresAt()).isEqualTo(clock.instant().plusSeconds(86_400));
            assertThat(verify(fresh.secret())).isEqualTo(VerificationCode.VALID);
            assertThat(verify(old.secret())).isEqualTo(VerificationCode.VALID);

            clock.advanceSeconds(299);
            assertThat(verify(old.secret())).isEqualTo(VerificationCode.VALID);
            clock.advanceSeconds(1);
            assertThat(verify(old.secret())).isEqualTo(VerificationCode.REVOKED);
            assertThat(verify(fresh.secret())).isEqualTo(VerificationCode.VALID);
            assertThat(servitor.keys().list(admin, sa("rot-bot"))).extracting(ApiKey::id).containsExactly(fresh.key().id());
        }

        @Test
        void rotation_without_grace_revokes_the_old_key_at_once() {
            create("rot0-bot");
            CreatedKey old = key("rot0-bot", "k");
            assertThat(verify(old.secret())).isEqualTo(VerificationCode.VALID); // now cached

            CreatedKey fresh = servitor.keys().rotate(admin, sa("rot0-bot"), old.key().id(), null);

            assertThat(verify(old.secret())).isEqualTo(VerificationCode.REVOKED);
            assertThat(verify(fresh.secret())).isEqualTo(VerificationCode.VALID);
            assertRefused(ErrorCode.KEY_NOT_FOUND, () -> servitor.keys().rotate(admin, sa("rot0-bot"), old.key().id(), null));
        }

        @Test
        void revoked_key_verifies_revoked_and_the_accounts_other_keys_still_work() {
            create("rev-bot");
            CreatedKey doomed = key("rev-bot", "doomed");
            CreatedKey kept = key("rev-bot", "kept");
            assertThat(verify(doomed.secret())).isEqualTo(VerificationCode.VALID); // now cached

            servitor.keys().revoke(admin, sa("rev-bot"), doomed.key().id());

            assertThat(verify(doomed.secret())).isEqualTo(VerificationCode.REVOKED);
            assertThat(verify(kept.secret())).isEqualTo(VerificationCode.VALID);
            assertRefused(ErrorCode.KEY_NOT_FOUND, () -> servitor.keys().revoke(admin, sa("rev-bot"), doomed.key().id()));
        }

        @Test
        void a_key_of_one_account_cannot_be_revoked_through_another() {
            create("own-a");
            create("own-b");
            CreatedKey ofA = key("own-a", "k");
            assertRefused(ErrorCode.KEY_NOT_FOUND, () -> servitor.keys().revoke(admin, sa("own-b"), ofA.key().id()));
            assertThat(verify(ofA.secret())).isEqualTo(VerificationCode.VALID);
        }

        @Test
        void key_list_returns_only_live_keys_oldest_first() {
            create("live-bot");
            CreatedKey forever = key("live-bot", "forever");
            clock.advanceSeconds(1);
            CreatedKey shortLived = servitor.keys().create(admin, sa("live-bot"), new NewKey("short", null, null, 60L, null));
            clock.advanceSeconds(1);
            CreatedKey revoked = key("live-bot", "revoked");
            clock.advanceSeconds(1);
            CreatedKey rotating = key("live-bot", "rotating");
            servitor.keys().revoke(admin, sa("live-bot"), revoked.key().id());
            clock.advanceSeconds(1);
            CreatedKey rotated = servitor.keys().rotate(admin, sa("live-bot"), rotating.key().id(), 600L);

            // the key in its grace period still works, so it is still listed
            assertThat(servitor.keys().list(admin, sa("live-bot"))).extracting(ApiKey::id)
                .containsExactly(forever.key().id(), shortLived.key().id(), rotating.key().id(), rotated.key().id());

            clock.advanceSeconds(600);
            List<ApiKey> live = servitor.keys().list(admin, sa("live-bot"));
            assertThat(live).extracting(ApiKey::id).containsExactly(forever.key().id(), rotated.key().id());
            assertThat(live).extracting(ApiKey::prefix).allMatch(p -> p.matches("svt_[0-9A-Za-z]{4}"));
        }

        @Test
        void last_use_is_recorded_after_flush() {
            create("lu-bot");
            CreatedKey key = key("lu-bot", "k");
            assertThat(onlyKey("lu-bot").lastUsedAt()).isNull();

            clock.advanceSeconds(10);
            Instant usedAt = clock.instant();
            assertThat(servitor.verifier().verify(key.secret(), "198.51.100.4").code()).isEqualTo(VerificationCode.VALID);
            clock.advanceSeconds(10);
            servitor.lastUsed().flush();

            ApiKey listed = onlyKey("lu-bot");
            assertThat(listed.lastUsedAt()).isEqualTo(usedAt);
            assertThat(listed.lastUsedIp()).isEqualTo("198.51.100.4");
        }

        @Test
        void only_the_newest_use_is_kept() {
            create("lu2-bot");
            CreatedKey key = key("lu2-bot", "k");
            servitor.verifier().verify(key.secret(), "192.0.2.1");
            servitor.lastUsed().flush();
            clock.advanceSeconds(30);
            Instant second = clock.instant();
            servitor.verifier().verify(key.secret(), "192.0.2.2");
            servitor.lastUsed().flush();

            assertThat(onlyKey("lu2-bot").lastUsedAt()).isEqualTo(second);
            assertThat(onlyKey("lu2-bot").lastUsedIp()).isEqualTo("192.0.2.2");
        }

        @Test
        void a_flush_of_many_uses_writes_each_key_across_statements_and_never_goes_back_in_time() {
            create("lu4-bot");
            List<CreatedKey> keys = List.of(key("lu4-bot", "a"), key("lu4-bot", "b"), key("lu4-bot", "c"));
            Instant early = clock.instant();
            clock.advanceSeconds(60);
            Instant late = clock.instant();
            servitor.store().write(tx -> {
                tx.table(ApiKeyStore.class).recordUse(List.of(new ApiKeyStore.LastUse(keys.get(2).key().id(), late, "192.0.2.9")));
                return null;
            });
            // 600 uses: the three real keys at the start, in the middle and at the end (three statements of
            // at most 256 rows), the rest for ids that match nothing; the third key's use is older than its stored one
            List<ApiKeyStore.LastUse> uses = new ArrayList<>();
            for (int i = 0; i < 600; i++) uses.add(new ApiKeyStore.LastUse("key_none" + i, late, "192.0.2.1"));
            uses.set(0, new ApiKeyStore.LastUse(keys.get(0).key().id(), late, "198.51.100.1"));
            uses.set(300, new ApiKeyStore.LastUse(keys.get(1).key().id(), late, null));
            uses.set(599, new ApiKeyStore.LastUse(keys.get(2).key().id(), early, "198.51.100.3"));
            servitor.store().write(tx -> {
                tx.table(ApiKeyStore.class).recordUse(uses);
                return null;
            });

            Map<String, ApiKey> byName = new LinkedHashMap<>();
            servitor.keys().list(admin, sa("lu4-bot")).forEach(k -> byName.put(k.name(), k));
            assertThat(byName.get("a").lastUsedAt()).isEqualTo(late);
            assertThat(byName.get("a").lastUsedIp()).isEqualTo("198.51.100.1");
            assertThat(byName.get("b").lastUsedAt()).isEqualTo(late);
            assertThat(byName.get("b").lastUsedIp()).isNull();
            assertThat(byName.get("c").lastUsedAt()).isEqualTo(late);
            assertThat(byName.get("c").lastUsedIp()).isEqualTo("192.0.2.9");
        }

        @Test
        void refused_presentations_do_not_count_as_use() {
            create("lu3-bot");
            CreatedKey key = key("lu3-bot", "k");
            accounts().setDisabled(admin, "lu3-bot", true);
            assertThat(verify(key.secret())).isEqualTo(VerificationCode.DISABLED);
            servitor.lastUsed().flush();
            accounts().setDisabled(admin, "lu3-bot", false);
            assertThat(onlyKey("lu3-bot").lastUsedAt()).isNull();
        }

        // ---- failed commands ----------------------------------------------------------------

        @Test
        void a_key_request_with_both_ttl_and_expires_in_days_changes_nothing() {
            create("fail-key");
            CreatedKey existing = key("fail-key", "k");
            long auditBefore = newestAuditSeq();

            ServiceException e = assertRefused(ErrorCode.INVALID_VALUE,
                () -> servitor.keys().create(admin, sa("fail-key"), new NewKey("both", null, null, 60L, 1L)));

            assertThat(e.field()).isEqualTo("ttl_seconds");
            assertThat(servitor.keys().list(admin, sa("fail-key"))).extracting(ApiKey::id).containsExactly(existing.key().id());
            assertThat(newestAuditSeq()).isEqualTo(auditBefore);
        }

        @Test
        void a_key_request_with_an_out_of_range_ttl_or_unknown_type_changes_nothing() {
            create("fail-ttl");
            long auditBefore = newestAuditSeq();

            assertRefused(ErrorCode.INVALID_VALUE,
                () -> servitor.keys().create(admin, sa("fail-ttl"), new NewKey("zero", null, null, 0L, null)));
            assertRefused(ErrorCode.INVALID_VALUE,
                () -> servitor.keys().create(admin, sa("fail-ttl"), new NewKey("long", null, null, 3650L * 86400 + 1, null)));
            assertRefused(ErrorCode.INVALID_VALUE,
                () -> servitor.keys().create(admin, sa("fail-ttl"), new NewKey("days", null, null, null, 3651L)));
            assertRefused(ErrorCode.INVALID_VALUE,
                () -> servitor.keys().create(admin, sa("fail-ttl"), new NewKey("typed", null, "read_only", null, null)));

            assertThat(servitor.keys().list(admin, sa("fail-ttl"))).isEmpty();
            assertThat(newestAuditSeq()).isEqualTo(auditBefore);
        }

        @Test
        void creating_an_account_with_an_unknown_role_changes_nothing() {
            long auditBefore = newestAuditSeq();

            ServiceException e = assertRefused(ErrorCode.UNKNOWN_ROLE, () -> accounts().create(admin,
                new NewServiceAccount("role-bot", null, "overlord", null, null, null), false, true));

            assertThat(e.field()).isEqualTo("role");
            assertRefused(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, () -> accounts().get(admin, "role-bot"));
            assertThat(newestAuditSeq()).isEqualTo(auditBefore);
        }

        @Test
        void commands_refused_inside_their_transaction_change_nothing() {
            create("tx-a");
            create("tx-b");
            key("tx-a", "k");
            long auditBefore = newestAuditSeq();

            assertRefused(ErrorCode.SERVICE_ACCOUNT_EXISTS, () -> accounts().create(admin,
                new NewServiceAccount("tx-a", null, null, null, null, null), false, true));
            assertRefused(ErrorCode.SERVICE_ACCOUNT_EXISTS,
                () -> accounts().update(admin, "tx-a", new ServiceAccountPatch("tx-b", "changed", null, null, null, null)));
            assertRefused(ErrorCode.UNKNOWN_ROLE,
                () -> accounts().update(admin, "tx-a", new ServiceAccountPatch(null, "changed", "overlord", null, null, null)));
            assertRefused(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND,
                () -> servitor.keys().create(admin, sa("tx-none"), new NewKey("k", null, null, null, null)));

            assertThat(newestAuditSeq()).isEqualTo(auditBefore);
            ServiceAccount a = accounts().get(admin, "tx-a");
            assertThat(a.description()).isEmpty();
            assertThat(a.keyCount()).isEqualTo(1);
        }

        @Test
        void invalid_names_are_refused_with_invalid_name() {
            for (String bad : List.of("", "-starts-with-dash", "_underscore", "has space", "dot.ted", "x".repeat(64), "ünï")) {
                ServiceException e = assertRefused(ErrorCode.INVALID_NAME, () -> create(bad));
                assertThat(e.field()).isEqualTo("name");
            }
            assertThat(create("x".repeat(63)).name()).hasSize(63);
        }

        @Test
        void a_name_that_looks_like_a_key_is_refused_without_being_echoed_or_recorded() {
            String keyLike = SecretFormat.generate("svt"); // 53 characters of [A-Za-z0-9_]: a valid name otherwise
            ServiceException e = assertRefused(ErrorCode.INVALID_NAME, () -> create(keyLike));
            assertThat(e.field()).isEqualTo("name");
            assertThat(e.detail()).doesNotContain(keyLike);

            create("paste-bot");
            Caller bot = t.callerOf(key("paste-bot", "self").secret());
            assertRefused(ErrorCode.FORBIDDEN, () -> accounts().create(bot,
                new NewServiceAccount(keyLike, null, null, null, null, null), false, false));
            AuditEvent denied = newestAuditEvent();
            assertThat(denied.outcome()).isEqualTo(AuditEvent.DENIED);
            assertThat(denied.target()).doesNotContain(keyLike.substring(4));
        }

        @Test
        void a_nul_character_in_a_description_is_refused_alike_on_every_engine() {
            long auditBefore = newestAuditSeq();
            ServiceException onAccount = assertRefused(ErrorCode.INVALID_VALUE, () -> accounts().create(admin,
                new NewServiceAccount("nul-bot", "a\u0000b", null, null, null, null), false, false));
            assertThat(onAccount.field()).isEqualTo("description");
            assertRefused(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, () -> accounts().get(admin, "nul-bot"));

            create("nul-bot");
            ServiceException onKey = assertRefused(ErrorCode.INVALID_VALUE,
                () -> servitor.keys().create(admin, sa("nul-bot"), new NewKey("k", "x\u0000y", null, null, null)));
            assertThat(onKey.field()).isEqualTo("description");
            assertRefused(ErrorCode.INVALID_VALUE, () -> accounts().update(admin, "nul-bot",
                new ServiceAccountPatch(null, "\u0000", null, null, null, null)));

            assertThat(servitor.keys().list(admin, sa("nul-bot"))).isEmpty();
            assertThat(accounts().get(admin, "nul-bot").description()).isEmpty();
            assertThat(newestAuditSeq()).isEqualTo(auditBefore + 1); // the one create that succeeded
        }

        @Test
        void grace_outside_zero_to_thirty_days_is_refused() {
            create("grace-bot");
            CreatedKey k = key("grace-bot", "k");
            ServiceException e = assertRefused(ErrorCode.INVALID_VALUE,
                () -> servitor.keys().rotate(admin, sa("grace-bot"), k.key().id(), -1L));
            assertThat(e.field()).isEqualTo("grace_seconds");
            assertRefused(ErrorCode.INVALID_VALUE,
                () -> servitor.keys().rotate(admin, sa("grace-bot"), k.key().id(), 30L * 86400 + 1));
            assertThat(verify(k.secret())).isEqualTo(VerificationCode.VALID);
            assertThat(servitor.keys().list(admin, sa("grace-bot"))).hasSize(1);
        }

        // ---- verification of unknown and malformed keys -----------------------------------------

        @Test
        void typos_and_unknown_keys_verify_not_found() {
            create("nf-bot");
            String secret = key("nf-bot", "k").secret();
            char last = secret.charAt(secret.length() - 1);
            String typo = secret.substring(0, secret.length() - 1) + (last == 'a' ? 'b' : 'a');

            assertThat(verify(typo)).isEqualTo(VerificationCode.NOT_FOUND);
            assertThat(verify(SecretFormat.generate("svt"))).isEqualTo(VerificationCode.NOT_FOUND);
            assertThat(verify(secret.substring(1))).isEqualTo(VerificationCode.NOT_FOUND);
            assertThat(verify("")).isEqualTo(VerificationCode.NOT_FOUND);
            assertThat(verify(null)).isEqualTo(VerificationCode.NOT_FOUND);
            assertThat(servitor.verifier().verify(typo, IP).caller()).isNull();
        }

        // ---- personal keys ------------------------------------------------------------------

        @Test
        void a_users_personal_keys_stop_at_five_counting_the_bootstrap_key() {
            KeyOwnerRef me = KeyOwnerRef.user("admin");
            assertThat(servitor.keys().list(admin, me)).extracting(ApiKey::name).containsExactly("bootstrap");
            List<CreatedKey> made = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) made.add(servitor.keys().create(admin, me, new NewKey("mine-" + i, null, null, null, null)));
                assertRefused(ErrorCode.KEY_LIMIT_REACHED,
                    () -> servitor.keys().create(admin, me, new NewKey("sixth", null, null, null, null)));
                assertThat(servitor.keys().list(admin, me)).hasSize(5);
                assertThat(verify(made.get(3).secret())).isEqualTo(VerificationCode.VALID);
            } finally {
                for (CreatedKey k : made) servitor.keys().revoke(admin, me, k.key().id()); // the admin is shared by the class
            }
            assertThat(servitor.keys().list(admin, me)).extracting(ApiKey::name).containsExactly("bootstrap");
        }

        // ---- restart ------------------------------------------------------------------------

        @Test
        void a_restart_on_the_same_database_keeps_everything_and_does_not_bootstrap_again() {
            ServitorConfig.Storage storage = TestDatabases.fresh(engine());
            ServitorConfig config = ServitorConfig.defaults().withStorage(storage);
            String adminKey;
            String botKey;
            try (Servitor first = Servitor.start(config, clock)) {
                adminKey = first.generatedAdminKey().orElseThrow();
                Caller firstAdmin = first.verifier().verify(adminKey, IP).caller();
                first.serviceAccounts().create(firstAdmin, new NewServiceAccount("kept", null, null, null, null, null), false, false);
                botKey = first.keys().create(firstAdmin, sa("kept"), new NewKey("k", null, null, null, null)).secret();
            }
            try (Servitor second = Servitor.start(config, clock)) {
                assertThat(second.generatedAdminKey()).isEmpty();
                Verification v = second.verifier().verify(adminKey, IP);
                assertThat(v.code()).isEqualTo(VerificationCode.VALID);
                assertThat(second.serviceAccounts().get(v.caller(), "kept").keyCount()).isEqualTo(1);
                assertThat(second.verifier().verify(botKey, IP).code()).isEqualTo(VerificationCode.VALID);
                assertThat(second.audit().verify(v.caller()).intact()).isTrue();
            }
        }

        // ---- authorization ------------------------------------------------------------------

        @Test
        void a_service_accounts_own_key_is_forbidden_to_manage_anything() {
            create("plain-bot");
            CreatedKey own = key("plain-bot", "self");
            Caller bot = t.callerOf(own.secret());
            assertThat(bot.principal().type()).isEqualTo(PrincipalType.SERVICE_ACCOUNT);

            assertRefused(ErrorCode.FORBIDDEN, () -> accounts().create(bot,
                new NewServiceAccount("made-by-bot", null, null, null, null, null), false, false));
            assertRefused(ErrorCode.FORBIDDEN, () -> accounts().get(bot, "plain-bot"));
            assertRefused(ErrorCode.FORBIDDEN, () -> accounts().list(bot, ServiceAccountFilter.none(), PageRequest.first(10)));
            assertRefused(ErrorCode.FORBIDDEN, () -> accounts().setDisabled(bot, "plain-bot", true));
            assertRefused(ErrorCode.FORBIDDEN, () -> accounts().delete(bot, "plain-bot"));
            assertRefused(ErrorCode.FORBIDDEN,
                () -> servitor.keys().create(bot, sa("plain-bot"), new NewKey("more", null, null, null, null)));
            assertRefused(ErrorCode.FORBIDDEN, () -> servitor.keys().list(bot, sa("plain-bot")));
            assertRefused(ErrorCode.FORBIDDEN, () -> servitor.keys().revoke(bot, sa("plain-bot"), own.key().id()));
            assertRefused(ErrorCode.FORBIDDEN, () -> servitor.audit().verify(bot));

            assertRefused(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, () -> accounts().get(admin, "made-by-bot"));
            assertThat(verify(own.secret())).isEqualTo(VerificationCode.VALID);
            assertThat(servitor.keys().list(admin, sa("plain-bot"))).hasSize(1);
        }

        @Test
        void a_refused_command_is_audited_as_denied_with_the_refused_principal() {
            create("deny-bot");
            Caller bot = t.callerOf(key("deny-bot", "self").secret());

            assertRefused(ErrorCode.FORBIDDEN, () -> accounts().delete(bot, "deny-bot"));

            AuditEvent newest = newestAuditEvent();
            assertThat(newest.action()).isEqualTo("service_account.delete");
            assertThat(newest.outcome()).isEqualTo(AuditEvent.DENIED);
            assertThat(newest.actor()).isEqualTo("deny-bot@default.sa.servitor.local");
            assertThat(newest.target()).isEqualTo("service_account:deny-bot");
            assertThat(newest.ip()).isEqualTo(TestServitor.CLIENT_IP);
        }

        @Test
        void an_org_admin_service_account_may_manage_accounts() {
            accounts().create(admin, new NewServiceAccount("boss-bot", null, null, null, null, true), false, false);
            Caller boss = t.callerOf(key("boss-bot", "k").secret());

            ServiceAccount made = accounts().create(boss, new NewServiceAccount("made-by-boss", null, null, null, null, null),
                false, false).account();

            assertThat(made.createdBy()).isEqualTo("boss-bot@default.sa.servitor.local");
        }

        @Test
        void every_successful_command_appends_one_audit_event_naming_its_target() {
            long before = newestAuditSeq();
            create("aud-bot");
            CreatedKey k = key("aud-bot", "k");
            servitor.keys().revoke(admin, sa("aud-bot"), k.key().id());
            accounts().delete(admin, "aud-bot");

            List<AuditEvent> events = servitor.audit()
                .list(admin, new AuditQuery(null, null, "service_account:aud-bot", null, null), PageRequest.first(10)).items();
            assertThat(newestAuditSeq()).isEqualTo(before + 4);
            assertThat(events).extracting(AuditEvent::action)
                .containsExactly("service_account.delete", "key.revoke", "key.create", "service_account.create");
            assertThat(events).extracting(AuditEvent::actor).containsOnly("admin@localhost");
            assertThat(events).extracting(AuditEvent::outcome).containsOnly(AuditEvent.SUCCESS);
            assertThat(events).allSatisfy(e -> assertThat(e.details().toString()).doesNotContain(k.secret()));
        }

        // ---- helpers ------------------------------------------------------------------------

        private ServiceAccountService accounts() {
            return servitor.serviceAccounts();
        }

        private ServiceAccount create(String name) {
            return accounts().create(admin, new NewServiceAccount(name, null, null, null, null, null), false, false).account();
        }

        private CreatedKey key(String account, String keyName) {
            return servitor.keys().create(admin, sa(account), new NewKey(keyName, null, null, null, null));
        }

        private ApiKey onlyKey(String account) {
            List<ApiKey> keys = servitor.keys().list(admin, sa(account));
            assertThat(keys).hasSize(1);
            return keys.get(0);
        }

        private static String sha256Hex(String s) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static KeyOwnerRef sa(String name) {
            return KeyOwnerRef.serviceAccount(name);
        }

        private VerificationCode verify(String secret) {
            return servitor.verifier().verify(secret, IP).code();
        }

        private static ServiceAccountFilter filter(String prefix, String role, Boolean disabled) {
            return new ServiceAccountFilter(prefix, role, null, disabled);
        }

        private Page<ServiceAccount> list(ServiceAccountFilter f) {
            return accounts().list(admin, f, PageRequest.of(100, null));
        }

        private static List<String> names(Page<ServiceAccount> page) {
            return page.items().stream().map(ServiceAccount::name).toList();
        }

        private AuditEvent newestAuditEvent() {
            return servitor.audit().list(admin, new AuditQuery(null, null, null, null, null), PageRequest.first(1)).items().get(0);
        }

        private long newestAuditSeq() {
            return newestAuditEvent().seq();
        }
    }
}
