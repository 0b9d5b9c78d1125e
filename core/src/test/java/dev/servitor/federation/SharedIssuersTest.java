// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which issuers are shared by every customer of a platform, and what pins a tenant on them. */
class SharedIssuersTest {
    @Test
    void the_public_ci_issuers_are_shared_and_a_tenant_specific_url_is_not() {
        assertThat(SharedIssuers.of("https://token.actions.githubusercontent.com")).isPresent();
        assertThat(SharedIssuers.of("https://gitlab.com")).isPresent();
        assertThat(SharedIssuers.of("https://acme.semaphoreci.com")).isPresent();
        assertThat(SharedIssuers.of("https://agent.buildkite.com")).isPresent();
        assertThat(SharedIssuers.of("https://app.terraform.io")).isPresent();
        assertThat(SharedIssuers.of("https://accounts.google.com")).isPresent();
        assertThat(SharedIssuers.of("https://token.actions.githubusercontent.com/acme-enterprise")).isEmpty();
        assertThat(SharedIssuers.of("https://gitlab.acme.example")).isEmpty();
        assertThat(SharedIssuers.of("https://kubernetes.default.svc")).isEmpty();
    }

    @Test
    void a_tenant_is_pinned_by_subject_prefix_claim_or_condition_on_a_tenant_claim() {
        SharedIssuers.Shared github = SharedIssuers.of("https://token.actions.githubusercontent.com").orElseThrow();
        assertThat(SharedIssuers.tenantPinned(github, null, null, Map.of(), null)).isFalse();
        assertThat(SharedIssuers.tenantPinned(github, null, "repo:", Map.of(), null)).isFalse();
        assertThat(SharedIssuers.tenantPinned(github, null, "repo:acme/", Map.of(), null)).isTrue();
        assertThat(SharedIssuers.tenantPinned(github, null, null, Map.of("ref", "refs/heads/main"), null)).isFalse();
        assertThat(SharedIssuers.tenantPinned(github, null, null, Map.of("repository_owner", "acme"), null)).isTrue();
        assertThat(SharedIssuers.tenantPinned(github, null, null, Map.of(), "claims.ref == 'main'")).isFalse();
        assertThat(SharedIssuers.tenantPinned(github, null, null, Map.of(), "claims['repository_owner_id'] == '42'")).isTrue();
        assertThat(SharedIssuers.tenantPinned(github, "repo:acme/app:ref:refs/heads/main", null, Map.of(), null)).isTrue();
    }
}
