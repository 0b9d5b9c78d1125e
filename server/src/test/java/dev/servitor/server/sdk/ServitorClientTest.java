// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.servitor.sdk.AccessTokenVerifier;
import dev.servitor.sdk.ApiException;
import dev.servitor.sdk.ApiKey;
import dev.servitor.sdk.AuditEvent;
import dev.servitor.sdk.AuditQuery;
import dev.servitor.sdk.CreatedKey;
import dev.servitor.sdk.Identity;
import dev.servitor.sdk.KeyFormat;
import dev.servitor.sdk.NewKey;
import dev.servitor.sdk.NewServiceAccount;
import dev.servitor.sdk.Page;
import dev.servitor.sdk.ServiceAccount;
import dev.servitor.sdk.ServiceAccountQuery;
import dev.servitor.sdk.ServiceAccountUpdate;
import dev.servitor.sdk.ServitorClient;
import dev.servitor.sdk.Verification;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.testing.TestDatabases.Engine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK against a real server: paging, errors as {@link ApiException}, and secrets kept out of toString. */
class ServitorClientTest extends ApiContract {
    @Override
    protected Engine engine() {
        return Engine.SQLITE;
    }

    private ServitorClient client() {
        return ServitorClient.builder().url(server.url()).token(admin()).build();
    }

    @Test
    void list_follows_next_page_token_to_the_last_page() {
        String prefix = unique("page") + "-";
        for (int i = 0; i < 7; i++) client().createServiceAccount(NewServiceAccount.named(prefix + i));
        ServiceAccountQuery q = ServiceAccountQuery.all().q(prefix).pageSize(3);
        Page<ServiceAccount> first = client().listServiceAccounts(q, null);
        assertThat(first.items()).hasSize(3);
        assertThat(first.hasNext()).isTrue();
        List<ServiceAccount> all = client().listServiceAccounts(q);
        assertThat(all).extracting(ServiceAccount::name).hasSize(7).doesNotHaveDuplicates().allMatch(n -> n.startsWith(prefix));
    }

    @Test
    void filters_reach_the_server() {
        String name = unique("filtered");
        client().createServiceAccount(NewServiceAccount.named(name).role("contributor"));
        client().disableServiceAccount(name);
        assertThat(client().listServiceAccounts(ServiceAccountQuery.all().q(name).role("contributor").disabled(true)))
            .extracting(ServiceAccount::name).containsExactly(name);
        assertThat(client().listServiceAccounts(ServiceAccountQuery.all().q(name).disabled(false))).isEmpty();
    }

    @Test
    void a_conflict_is_an_api_exception_with_status_code_and_detail() {
        String name = unique("dup");
        client().createServiceAccount(NewServiceAccount.named(name));
        ApiException e = catchThrowableOfType(ApiException.class,
            () -> client().createServiceAccount(NewServiceAccount.named(name)));
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.code()).isEqualTo("service_account_exists");
        assertThat(e.detail()).contains(name);
        assertThat(e.requestId()).isNotBlank();
        ServiceAccount existing = client().createServiceAccount(NewServiceAccount.named(name).ifNotExists(true));
        assertThat(existing.name()).isEqualTo(name);
    }

    @Test
    void a_validation_error_names_the_field() {
        String name = unique("ttl");
        client().createServiceAccount(NewServiceAccount.named(name));
        ApiException e = catchThrowableOfType(ApiException.class,
            () -> client().createKey(name, NewKey.named("k").expiresInDays(0)));
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.field()).isEqualTo("expires_in_days");
    }

    @Test
    void an_unknown_account_is_a_404() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> client().getServiceAccount(unique("ghost")));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.code()).isNotBlank();
    }

    @Test
    void secrets_never_show_in_to_string() {
        ServiceAccount sa = client().createServiceAccount(NewServiceAccount.named(unique("secretive")).issueKey(true));
        String issued = sa.issuedKey().key();
        assertThat(issued).startsWith("svt_");
        assertThat(sa.toString()).doesNotContain(issued);
        assertThat(sa.issuedKey().toString()).doesNotContain(issued);
        CreatedKey k = client().createKey(sa.name(), NewKey.named("second"));
        assertThat(k.toString()).doesNotContain(k.key());
        assertThat(client().toString()).doesNotContain(admin());
    }

    @Test
    void the_whole_life_of_an_account_and_its_keys() {
        String name = unique("life");
        ServitorClient c = client();
        ServiceAccount sa = c.createServiceAccount(NewServiceAccount.named(name).description("d").role("viewer"));
        assertThat(sa.id()).startsWith("sa_");
        assertThat(sa.createdAt()).isNotNull();
        assertThat(c.getServiceAccount(name).description()).isEqualTo("d");
        assertThat(c.updateServiceAccount(name, ServiceAccountUpdate.create().role("contributor")).role()).isEqualTo("contributor");

        CreatedKey key = c.createKey(name, NewKey.named("k1").type("read_scaling").ttlSeconds(3600L));
        assertThat(key.type()).isEqualTo("read_scaling");
        assertThat(key.expiresAt()).isNotNull();
        assertThat(c.listKeys(name)).extracting(ApiKey::id).containsExactly(key.id());

        ServitorClient asAccount = ServitorClient.builder().url(server.url()).token(key.key()).build();
        Identity me = asAccount.whoami();
        assertThat(me.principal().name()).isEqualTo(name);
        assertThat(me.principal().type()).isEqualTo("service_account");
        assertThat(me.credential().type()).isEqualTo("read_scaling");

        Verification v = c.verify(key.key(), null, null);
        assertThat(v.valid()).isTrue();
        assertThat(v.code()).isEqualTo("VALID");
        assertThat(v.identity().principal().name()).isEqualTo(name);

        CreatedKey rotated = c.rotateKey(name, key.id(), null);
        assertThat(c.verify(key.key(), null, null).valid()).isFalse();
        assertThat(c.verify(rotated.key(), null, null).valid()).isTrue();
        c.revokeKey(name, rotated.id());
        assertThat(c.verify(rotated.key(), null, null).code()).isEqualTo("REVOKED");

        assertThat(c.disableServiceAccount(name).disabled()).isTrue();
        assertThat(c.enableServiceAccount(name).disabled()).isFalse();
        c.deleteServiceAccount(name);
        assertThat(catchThrowableOfType(ApiException.class, () -> c.getServiceAccount(name)).status()).isEqualTo(404);
    }

    @Test
    void user_keys_and_the_audit_log() {
        ServitorClient c = client();
        CreatedKey mine = c.createUserKey("admin", NewKey.named(unique("personal")));
        assertThat(c.listUserKeys("admin")).extracting(ApiKey::id).contains(mine.id());
        c.revokeUserKey("admin", mine.id());
        assertThat(c.listUserKeys("admin")).extracting(ApiKey::id).doesNotContain(mine.id());

        List<AuditEvent> events = c.listAuditEvents(AuditQuery.all().action("key.revoke").pageSize(1));
        assertThat(events).isNotEmpty().allMatch(e -> e.action().equals("key.revoke"));
        assertThat(c.verifyAuditChain().intact()).isTrue();
    }

    @Test
    void an_access_token_from_the_server_passes_the_offline_check_against_its_jwks() {
        String name = unique("jwt");
        ServiceAccount sa = client().createServiceAccount(NewServiceAccount.named(name));
        Map<String, Object> secret = client().send("POST", "/v1/service-accounts/" + name + "/secret", null).object();
        String token = (String) client().sendForm("/oauth/token", Map.of("grant_type", "client_credentials",
            "client_id", (String) secret.get("client_id"), "client_secret", (String) secret.get("client_secret"))).object().get("access_token");
        assertThat(KeyFormat.isWellFormed((String) secret.get("client_secret"), "svs")).isTrue();

        AccessTokenVerifier.VerifiedToken t = AccessTokenVerifier.forIssuer(server.url(), null).verify(token);
        assertThat(t.subject()).isEqualTo(sa.id());
        assertThat(t.email()).isEqualTo(sa.email());
        assertThatThrownBy(() -> AccessTokenVerifier.forIssuer("http://elsewhere.example", null).verify(token))
            .isInstanceOf(AccessTokenVerifier.InvalidTokenException.class);
    }

    @Test
    void send_reaches_any_endpoint_and_maps_errors_alike() {
        var r = client().send("GET", "/v1/whoami", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.object()).containsKey("principal");
        ApiException e = catchThrowableOfType(ApiException.class, () -> client().send("GET", "/v1/no-such-thing", null));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.detail()).isNotBlank();
        ApiException bad = catchThrowableOfType(ApiException.class,
            () -> client().send("POST", "/v1/service-accounts", Map.of("name", 42)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.field()).isEqualTo("name");
    }
}
