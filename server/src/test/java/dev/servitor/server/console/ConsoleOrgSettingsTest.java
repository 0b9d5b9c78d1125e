// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The Organization page: "require groups", quotas and current usage, read from and saved to /v1/org. */
class ConsoleOrgSettingsTest extends AdminPagesTestBase {

    private WebElement settings() {
        return form("Organization settings");
    }

    @Test
    void thePageShowsQuotasAndCurrentUsageAsTheApiHoldsThem() {
        server.createServiceAccount(unique("counted"));
        server.createServiceAccount(unique("counted"));
        open("#/org", "Organization " + api().get("/v1/org").get("name").asText());
        JsonNode org = api().get("/v1/org");
        JsonNode usage = org.get("usage");
        JsonNode quotas = org.get("quotas");

        assertThat(row("Service accounts").getText())
            .contains(usage.get("service_accounts").asText() + " of " + quotas.get("max_service_accounts").asText());
        assertThat(row("Users").getText()).contains(usage.get("users").asText());
        assertThat(row("Live API keys").getText()).contains(usage.get("live_keys").asText(),
            "at most " + quotas.get("max_keys_per_service_account").asText() + " per service account",
            quotas.get("max_keys_per_user").asText() + " per user");
        assertThat(row("Verifications this month").getText()).contains(usage.get("verifications_this_month").asText());
        assertEveryControlIsLabelled();
        WebElement form = settings();
        assertThat(control(form, "max_service_accounts").getAttribute("value")).isEqualTo(quotas.get("max_service_accounts").asText());
        assertThat(control(form, "max_keys_per_service_account").getAttribute("value"))
            .isEqualTo(quotas.get("max_keys_per_service_account").asText());
        assertThat(control(form, "max_keys_per_user").getAttribute("value")).isEqualTo(quotas.get("max_keys_per_user").asText());
        assertThat(control(form, "access_token_lifetime_seconds").getAttribute("value"))
            .isEqualTo(org.get("access_token_lifetime_seconds").asText());
        assertThat(control(form, "service_accounts_require_group").isSelected()).isEqualTo(org.get("service_accounts_require_group").asBoolean());
        screenshot("org");
    }

    @Test
    void anAdminChangesQuotasTheTokenLifetimeAndTheNetworkPolicy() {
        String policy = unique("org-wide");
        api().post("/v1/network-policies", Map.of("name", policy, "blocked_ips", List.of("203.0.113.9")));
        JsonNode before = api().get("/v1/org");
        open("#/org", "Organization " + before.get("name").asText());
        WebElement form = settings();
        type(form, "max_service_accounts", "250");
        type(form, "max_keys_per_user", "7");
        type(form, "access_token_lifetime_seconds", "3600");
        select(form, "network_policy", policy);
        submit(form);

        waitForNotice("Organization settings saved.");
        wait.until(d -> row("Service accounts").getText().contains(" of 250"));
        JsonNode org = api().get("/v1/org");
        assertThat(org.at("/quotas/max_service_accounts").asInt()).isEqualTo(250);
        assertThat(org.at("/quotas/max_keys_per_user").asInt()).isEqualTo(7);
        assertThat(org.at("/quotas/max_keys_per_service_account")).isEqualTo(before.at("/quotas/max_keys_per_service_account")); // untouched
        assertThat(org.get("access_token_lifetime_seconds").asLong()).isEqualTo(3600);
        assertThat(org.get("network_policy").asText()).isEqualTo(policy);
        assertThat(control(settings(), "network_policy").getAttribute("value")).isEqualTo(policy);

        // and detached again
        form = settings();
        select(form, "network_policy", "");
        submit(form);
        wait.until(d -> api().get("/v1/org").get("network_policy").isNull());
    }

    @Test
    void requiringGroupsAsksFirstNamingTheAccountsWithoutAGroup() {
        String loner = unique("loner");
        server.createServiceAccount(loner);
        open("#/org", "Organization " + api().get("/v1/org").get("name").asText());
        WebElement form = settings();
        assertThat(control(form, "service_accounts_require_group").isSelected()).isFalse();
        check(form, "service_accounts_require_group", true);
        submit(form);
        String question = confirm("Require groups");
        assertThat(question).contains("Require a group for every service account?", "in no group", loner);
        waitForNotice("Organization settings saved.");
        wait.until(d -> api().get("/v1/org").get("service_accounts_require_group").asBoolean());
        assertThat(control(settings(), "service_accounts_require_group").isSelected()).isTrue();

        // turning it off needs no question
        form = settings();
        check(form, "service_accounts_require_group", false);
        submit(form);
        wait.until(d -> !api().get("/v1/org").get("service_accounts_require_group").asBoolean());
        assertThat(present(By.cssSelector("dialog[open]"))).isFalse();
    }

    @Test
    void anOutOfRangeQuotaIsShownNextToItsFieldAndNothingChanges() {
        JsonNode before = api().get("/v1/org");
        open("#/org", "Organization " + before.get("name").asText());
        WebElement form = settings();
        type(form, "max_keys_per_service_account", "0");
        submit(form);
        assertThat(fieldError(form, "max_keys_per_service_account"))
            .contains("'quotas.max_keys_per_service_account' must be between 1 and 1000000");
        assertThat(api().get("/v1/org").get("quotas")).isEqualTo(before.get("quotas"));

        type(form, "access_token_lifetime_seconds", "5");
        type(form, "max_keys_per_service_account", before.at("/quotas/max_keys_per_service_account").asText());
        submit(form);
        assertThat(fieldError(form, "access_token_lifetime_seconds")).contains("'access_token_lifetime_seconds' must be between 60 and");
        assertThat(api().get("/v1/org").get("access_token_lifetime_seconds")).isEqualTo(before.get("access_token_lifetime_seconds"));
    }
}
