// SPDX-License-Identifier: Apache-2.0
package dev.servitor.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The intersection of a key's permissions with its owner's, the stored form and the short text forms. */
class KeyRestrictionsTest {
    private static KeyRestrictions permissions(String... p) {
        return new KeyRestrictions(List.of(p), null, null, null, null);
    }

    @Test
    void the_intersection_keeps_what_both_hold_wildcards_included() {
        assertThat(permissions("deployments:read", "invoices:read").narrow(Set.of("deployments:read", "deployments:create")))
            .containsExactly("deployments:read");
        assertThat(permissions("deployments:*").narrow(Set.of("deployments:read", "invoices:read"))).containsExactly("deployments:read");
        assertThat(permissions("deployments:read").narrow(Set.of("*"))).containsExactly("deployments:read");
        assertThat(permissions("deployments:read").narrow(Set.of("org_admin"))).containsExactly("deployments:read");
        assertThat(permissions("org_admin").narrow(Set.of("org_admin"))).containsExactly("org_admin");
        // org_admin grants everything, * everything but org_admin: together, everything but org_admin
        assertThat(permissions("org_admin").narrow(Set.of("*"))).containsExactly("*");
        assertThat(permissions("*").narrow(Set.of("deployments:read"))).containsExactly("deployments:read");
        assertThat(permissions("deployments:*").narrow(Set.of("*:read"))).as("overlapping wildcards: nothing").isEmpty();
        assertThat(permissions().narrow(Set.of("org_admin"))).isEmpty();
        Set<String> owner = Set.of("a:b");
        assertThat(KeyRestrictions.NONE.narrow(owner)).isSameAs(owner);
    }

    @Test
    void the_stored_form_reads_back_and_none_is_null() {
        KeyRestrictions r = new KeyRestrictions(List.of("a:read"), List.of("10.0.0.0/8"), new KeyRestrictions.RateLimit(100, 60),
            1_000_000_000_000L, new KeyRestrictions.Refill(5, KeyRestrictions.Refill.Interval.MONTH));
        assertThat(KeyRestrictions.fromJson(r.toJson())).isEqualTo(r);
        assertThat(r.toJson()).isEqualTo("{\"permissions\":[\"a:read\"],\"allowed_ips\":[\"10.0.0.0/8\"],"
            + "\"rate_limit\":{\"limit\":100,\"period_seconds\":60},\"remaining_uses\":1000000000000,\"refill\":{\"amount\":5,\"interval\":\"month\"}}");
        assertThat(KeyRestrictions.NONE.toJson()).isNull();
        assertThat(KeyRestrictions.fromJson(null)).isSameAs(KeyRestrictions.NONE);
        KeyRestrictions empty = permissions();
        assertThat(KeyRestrictions.fromJson(empty.toJson())).isEqualTo(empty);
    }

    @Test
    void short_forms_of_rates_and_refills() {
        assertThat(RestrictionText.rate("100/60s")).isEqualTo(new RestrictionsInput.Rate(100L, 60L));
        assertThat(RestrictionText.rate("10/m")).isEqualTo(new RestrictionsInput.Rate(10L, 60L));
        assertThat(RestrictionText.rate("5000/1h")).isEqualTo(new RestrictionsInput.Rate(5000L, 3600L));
        assertThat(RestrictionText.rate("1/2d")).isEqualTo(new RestrictionsInput.Rate(1L, 172_800L));
        assertThat(RestrictionText.rate("100 per minute")).isNull();
        assertThat(RestrictionText.rate("100/60")).isNull();
        assertThat(RestrictionText.refill("1000/day")).isEqualTo(new RestrictionsInput.RefillInput(1000L, "day"));
        assertThat(RestrictionText.refill("1000/week")).isNull();
    }
}
