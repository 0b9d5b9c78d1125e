// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Impersonation: the console acts as a service account under a banner with the time left, refresh and return. */
class ConsoleImpersonationTest extends ConsoleTestBase {

    @BeforeEach
    void loggedIn() {
        loginAsAdmin();
    }

    @Test
    void impersonatingShowsTheBannerAndActsAsTheAccount() {
        String name = startImpersonating(unique("worker"));

        WebElement banner = waitFor(By.id("banner"));
        assertThat(banner.getText()).contains("You are acting as service account " + name, "Session time left",
            "Refresh session", "Return to admin");
        assertThat(driver.findElement(By.id("impersonation-remaining")).getText()).matches("(2:00:00|1:59:[0-5][0-9])");
        waitForText(By.id("who-name"), adminUser + " acting as " + name);
        // the console now calls the API as the account: a plain account may not read service accounts
        waitFor(By.cssSelector("main [role=alert]"));
        assertThat(mainText()).contains("Acting as " + name);
        screenshot("impersonation");
        // the API recorded the impersonation, by the admin, of this account
        List<JsonNode> events = api().audit("action=impersonation.start");
        assertThat(events).anyMatch(e -> e.get("target").asText().contains(name) && e.get("actor").asText().equals(adminUser + "@example.com"));
        // the token is only in memory
        assertThat(js("return localStorage.length + sessionStorage.length")).isEqualTo(0L);
        assertThat(driver.manage().getCookies()).extracting(c -> c.getName()).containsExactly("servitor_session");
        returnToAdmin(name);
    }

    @Test
    void refreshingTheSessionAsksForANewToken() {
        String name = startImpersonating(unique("refreshed"));
        long before = impersonations(name);

        driver.findElement(By.id("impersonation-refresh")).click();

        waitForText(By.id("notice"), "Impersonation session of " + name + " refreshed");
        assertThat(impersonations(name)).isEqualTo(before + 1);
        assertThat(driver.findElement(By.id("impersonation-remaining")).getText()).matches("(2:00:00|1:59:[0-5][0-9])");
        assertThat(driver.findElement(By.id("who-name")).getText()).isEqualTo(adminUser + " acting as " + name);
        returnToAdmin(name);
    }

    @Test
    void returnToAdminDropsTheTokenAndAReloadEndsImpersonationToo() {
        String name = startImpersonating(unique("visited"));
        returnToAdmin(name);
        waitForHeading(name); // back on the account's page, as the admin, who may read it
        assertThat(mainText()).contains("API keys");

        startImpersonating(name);
        reload();
        waitForText(By.id("who-name"), adminUser);
        assertThat(driver.findElement(By.id("who-name")).getText()).isEqualTo(adminUser);
        assertThat(driver.findElement(By.id("banner")).isDisplayed()).isFalse();
    }

    /** Creates a plain service account (unless it exists), opens its page and impersonates it. */
    private String startImpersonating(String name) {
        if (api().status("/v1/service-accounts/" + name) == 404) server.createServiceAccount(name);
        go("#/accounts/" + name);
        waitForHeading(name);
        clickButton(driver.findElement(By.cssSelector(".page-header")), "Impersonate");
        assertThat(confirm("Impersonate")).contains("two hours", "audited", "Reloading the page ends the impersonation");
        waitFor(By.id("impersonation-remaining"));
        return name;
    }

    private void returnToAdmin(String name) {
        driver.findElement(By.id("impersonation-return")).click();
        waitGone(By.id("banner"));
        waitForText(By.id("who-name"), adminUser);
        assertThat(driver.findElement(By.id("who-name")).getText()).isEqualTo(adminUser);
        assertThat(driver.findElement(By.id("notice")).getAttribute("textContent")).contains("stopped acting as " + name);
    }

    private long impersonations(String name) {
        return api().audit("action=impersonation.start").stream().filter(e -> e.get("target").asText().contains(name)).count();
    }
}
