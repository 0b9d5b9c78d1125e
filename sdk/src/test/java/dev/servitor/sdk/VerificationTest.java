// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reading {@code /v1/verify} answers in the shapes docs/api.md gives them. The same fields are read from a real
 * server's answers in the server module's {@code VerificationAnswersTest}; this one covers shapes a test server cannot
 * easily produce (a member this SDK does not know) and the record's older constructor.
 */
class VerificationTest {
    @SuppressWarnings("unchecked")
    private static Verification parse(String json) {
        return Verification.of((Map<String, Object>) Json.parse(json));
    }

    @Test
    void a_rate_limited_answer_carries_the_wait_and_the_restrictions() {
        Verification v = parse("""
            {"valid":false,"code":"RATE_LIMITED","principal":{"id":"sa_1","type":"service_account","name":"ci","email":"e","org":"acme"},
             "permissions":["deployments:read"],"credential":{"id":"key_1","kind":"api_key","type":"read_write","expires_at":null},
             "restrictions":{"permissions":[],"rate_limit":{"limit":1,"period_seconds":60}},"retry_after_seconds":59}""");
        assertThat(v.valid()).isFalse();
        assertThat(v.code()).isEqualTo(Verification.RATE_LIMITED);
        assertThat(v.retryAfterSeconds()).isEqualTo(59L);
        assertThat(v.remaining()).isNull();
        assertThat(v.restrictions().rateLimit()).isEqualTo(new KeyRestrictions.RateLimit(1, 60));
        assertThat(v.restrictions().permissions()).as("an empty list is not an absent one").isEmpty();
        assertThat(v.restrictions().allowedIps()).isNull();
        assertThat(v.restrictions().remainingUses()).isNull();
        assertThat(v.metered()).isTrue();
        assertThat(v.identity().credential().federation()).isNull();
        assertThat(v.json()).containsEntry("retry_after_seconds", 59L);
    }

    @Test
    void only_permissions_and_allowed_ips_leave_an_answer_unmetered() {
        Verification plain = parse("{\"valid\":true,\"code\":\"VALID\",\"restrictions\":{\"permissions\":[\"a:b\"],\"allowed_ips\":[\"10.0.0.0/8\"]}}");
        assertThat(plain.metered()).isFalse();
        assertThat(plain.restrictions().allowedIps()).containsExactly("10.0.0.0/8");
        assertThat(parse("{\"valid\":true,\"code\":\"VALID\"}").metered()).isFalse();
        assertThat(parse("{\"valid\":true,\"code\":\"VALID\",\"remaining\":3}").metered()).isTrue();
        Verification unknown = parse("{\"valid\":true,\"code\":\"VALID\",\"restrictions\":{\"quota_bytes\":5}}");
        assertThat(unknown.metered()).as("a restriction this SDK does not know may count uses").isTrue();
        assertThat(unknown.restrictions().json()).containsEntry("quota_bytes", 5L);
    }

    @Test
    void usage_credits_and_their_refill() {
        Verification v = parse("""
            {"valid":false,"code":"USAGE_EXCEEDED","remaining":0,
             "restrictions":{"remaining_uses":1000,"refill":{"amount":1000,"interval":"day"}}}""");
        assertThat(v.code()).isEqualTo(Verification.USAGE_EXCEEDED);
        assertThat(v.remaining()).isZero();
        assertThat(v.identity()).isNull();
        assertThat(v.restrictions().remainingUses()).isEqualTo(1000L);
        assertThat(v.restrictions().refill()).isEqualTo(new KeyRestrictions.Refill(1000, "day"));
    }

    @Test
    void a_federated_token_names_its_workload() {
        Verification v = parse("""
            {"valid":true,"code":"VALID","principal":{"id":"sa_1","type":"service_account","name":"ci","email":"e","org":"acme"},
             "permissions":[],"credential":{"id":"jti","kind":"access_token","type":null,"expires_at":"2026-12-07T02:00:00Z",
             "federation":{"issuer":"github","subject":"repo:acme/app:ref:refs/heads/main","credential":"deploy"}}}""");
        Identity.Credential c = v.identity().credential();
        assertThat(c.federated()).isTrue();
        assertThat(c.federation()).isEqualTo(new Identity.Federation("github", "repo:acme/app:ref:refs/heads/main", "deploy"));
        assertThat(v.restrictions()).isNull();
        assertThat(v.metered()).isFalse();
    }

    @Test
    void the_older_constructors_still_build_the_same_answer() {
        Identity.Credential c = new Identity.Credential("key_1", "api_key", "read_write", null);
        assertThat(c.federation()).isNull();
        Identity id = new Identity(null, null, List.of(), c, Map.of());
        Verification v = new Verification(true, Verification.VALID, id);
        assertThat(v.identity()).isSameAs(id);
        assertThat(v.retryAfterSeconds()).isNull();
        assertThat(v.remaining()).isNull();
        assertThat(v.restrictions()).isNull();
        assertThat(v.json()).isEmpty();
        assertThat(v.metered()).isFalse();
    }
}
