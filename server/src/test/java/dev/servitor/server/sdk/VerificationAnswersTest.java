// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.servitor.sdk.AccessTokenVerifier;
import dev.servitor.sdk.CreatedKey;
import dev.servitor.sdk.Identity;
import dev.servitor.sdk.KeyRestrictions;
import dev.servitor.sdk.NewKey;
import dev.servitor.sdk.NewServiceAccount;
import dev.servitor.sdk.ServiceAccount;
import dev.servitor.sdk.ServitorClient;
import dev.servitor.sdk.Verification;
import dev.servitor.server.testing.ApiContract;
import dev.servitor.testing.TestDatabases.Engine;
import dev.servitor.testing.TestOidcIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The SDK's {@link Verification} and {@link Identity} read from a real server's {@code /v1/verify} and
 * {@code /v1/whoami}: per-key restrictions (rate limit, remaining uses, allowed addresses), the organization's
 * network-policy requirement, and the federation of an access token exchanged for a workload's token.
 */
class VerificationAnswersTest extends ApiContract {
    private static final String AUDIENCE = "https://servitor.example/deploy";

    @Override
    protected Engine engine() {
        return Engine.SQLITE;
    }

    private ServitorClient client() {
        return ServitorClient.builder().url(server.url()).token(admin()).build();
    }

    private CreatedKey restrictedKey(Map<String, Object> restrictions) {
        String name = unique("limited");
        client().createServiceAccount(NewServiceAccount.named(name));
        return client().createKey(name, NewKey.named("k").restrictions(restrictions));
    }

    @Test
    void a_key_past_its_rate_limit_is_rate_limited_with_the_wait() {
        CreatedKey key = restrictedKey(Map.of("rate_limit", Map.of("limit", 1, "period_seconds", 60)));
        assertThat(key.restrictions().rateLimit()).isEqualTo(new KeyRestrictions.RateLimit(1, 60));

        Verification first = client().verify(key.key(), null, null);
        assertThat(first.code()).isEqualTo(Verification.VALID);
        assertThat(first.valid()).isTrue();
        assertThat(first.retryAfterSeconds()).isNull();
        assertThat(first.remaining()).as("no remaining_uses on this key").isNull();
        assertThat(first.restrictions().rateLimit()).isEqualTo(new KeyRestrictions.RateLimit(1, 60));
        assertThat(first.metered()).isTrue();

        Verification second = client().verify(key.key(), null, null);
        assertThat(second.valid()).isFalse();
        assertThat(second.code()).isEqualTo(Verification.RATE_LIMITED);
        // the window counts in eleven slots of a tenth of the period (docs/key-limits.md): the wait is at most 1.1 periods
        assertThat(second.retryAfterSeconds()).isBetween(1L, 66L);
        assertThat(second.restrictions().rateLimit()).isEqualTo(new KeyRestrictions.RateLimit(1, 60));
        assertThat(second.json()).containsKey("retry_after_seconds");

        server.clock().advance(Duration.ofSeconds(second.retryAfterSeconds()));
        assertThat(client().verify(key.key(), null, null).code()).as("after the wait the key is admitted again")
            .isEqualTo(Verification.VALID);
    }

    @Test
    void a_key_with_one_use_spends_it_then_is_usage_exceeded() {
        CreatedKey key = restrictedKey(Map.of("remaining_uses", 1));
        assertThat(key.remaining()).isEqualTo(1L);
        assertThat(key.restrictions().remainingUses()).isEqualTo(1L);

        Verification first = client().verify(key.key(), null, null);
        assertThat(first.code()).isEqualTo(Verification.VALID);
        assertThat(first.remaining()).as("the uses left after this one").isZero();
        assertThat(first.restrictions().remainingUses()).isEqualTo(1L);
        assertThat(first.identity().principal().type()).isEqualTo("service_account");

        Verification second = client().verify(key.key(), null, null);
        assertThat(second.valid()).isFalse();
        assertThat(second.code()).isEqualTo(Verification.USAGE_EXCEEDED);
        assertThat(second.remaining()).isZero();
        assertThat(second.retryAfterSeconds()).isNull();
        assertThat(second.restrictions().remainingUses()).isEqualTo(1L);
        assertThat(second.metered()).isTrue();
    }

    @Test
    void a_refused_answer_still_carries_the_keys_restrictions() {
        CreatedKey key = restrictedKey(Map.of("allowed_ips", List.of("10.0.0.0/8"), "permissions", List.of()));
        Verification v = client().verify(key.key(), null, "192.0.2.7");
        assertThat(v.code()).isEqualTo(Verification.IP_NOT_ALLOWED);
        assertThat(v.restrictions().allowedIps()).containsExactly("10.0.0.0/8");
        assertThat(v.restrictions().permissions()).as("[] holds no permission, unlike an absent list").isEmpty();
        assertThat(v.restrictions().rateLimit()).isNull();
        assertThat(v.metered()).as("allowed_ips and permissions count nothing").isFalse();

        Verification inside = client().verify(key.key(), null, "10.1.2.3");
        assertThat(inside.code()).isEqualTo(Verification.VALID);
        assertThat(inside.identity().permissions()).isEmpty();

        String account = inside.identity().principal().name();
        Verification unrestricted = client().verify(client().createKey(account, NewKey.named("plain")).key(), null, null);
        assertThat(unrestricted.code()).isEqualTo(Verification.VALID);
        assertThat(unrestricted.restrictions()).isNull();
        assertThat(unrestricted.remaining()).isNull();
        assertThat(unrestricted.metered()).isFalse();
    }

    @Test
    void an_organization_requiring_a_network_policy_answers_network_policy_required() {
        String name = unique("fenced");
        client().createServiceAccount(NewServiceAccount.named(name));
        String key = client().createKey(name, NewKey.named("k")).key();
        client().send("PATCH", "/v1/org", Map.of("credential_policy", Map.of("require_network_policy", true)));
        try {
            Verification v = client().verify(key, null, null);
            assertThat(v.valid()).isFalse();
            assertThat(v.code()).isEqualTo(Verification.NETWORK_POLICY_REQUIRED);
        } finally {
            client().send("PATCH", "/v1/org", Map.of("credential_policy", Map.of("require_network_policy", false)));
        }
        assertThat(client().verify(key, null, null).code()).isEqualTo(Verification.VALID);
    }

    @Test
    void a_token_exchanged_for_a_workloads_token_names_its_federation_in_whoami_verify_and_offline() {
        ECKey workloadKey = TestOidcIssuer.ec();
        String issuer = unique("ci");
        String issuerUrl = "https://" + issuer + ".acme.example";
        client().send("POST", "/v1/federation/issuers", Map.of("name", issuer, "issuer_url", issuerUrl,
            "jwks", new JWKSet(workloadKey.toPublicJWK()).toJSONObject()));
        String account = unique("keyless");
        ServiceAccount sa = client().createServiceAccount(NewServiceAccount.named(account));
        String subject = "repo:acme/app:ref:refs/heads/main";
        client().send("POST", "/v1/service-accounts/" + account + "/federated-credentials",
            Map.of("name", "deploy", "issuer", issuer, "audience", AUDIENCE, "subject", subject));

        Instant now = server.clock().instant();
        String workloadToken = TestOidcIssuer.sign(new JWTClaimsSet.Builder().issuer(issuerUrl).subject(subject).audience(AUDIENCE)
            .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString()).build(),
            workloadKey);
        String accessToken = (String) client().sendForm("/oauth/token", Map.of(
            "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
            "subject_token_type", "urn:ietf:params:oauth:token-type:jwt", "subject_token", workloadToken,
            "client_id", sa.id())).object().get("access_token");
        Identity.Federation expected = new Identity.Federation(issuer, subject, "deploy");

        Identity me = ServitorClient.builder().url(server.url()).token(accessToken).build().whoami();
        assertThat(me.credential().kind()).isEqualTo("access_token");
        assertThat(me.credential().federation()).isEqualTo(expected);

        Verification v = client().verify(accessToken, null, null);
        assertThat(v.code()).isEqualTo(Verification.VALID);
        assertThat(v.identity().credential().federation()).isEqualTo(expected);
        assertThat(v.restrictions()).isNull();

        assertThat(AccessTokenVerifier.forIssuer(server.url(), null).verify(accessToken).federation()).isEqualTo(expected);

        Identity admin = client().whoami();
        assertThat(admin.credential().federation()).as("an API key has no federation").isNull();
    }
}
