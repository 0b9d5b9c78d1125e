// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The Audit log page: filters by actor, action, target and time that survive a reload, service
 * accounts shown as their name@org.sa.domain address, and the chain check's badge (and its
 * warning once a row has been tampered with, which is why that test runs last).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleAuditTest extends AdminPagesTestBase {

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A service account with org-admin rights that creates another one with its own key: a service-account actor. */
    private JsonNode serviceAccountActs(String robot, String created) {
        JsonNode sa = api().post("/v1/service-accounts", Map.of("name", robot, "is_org_admin", true));
        String key = server.createKey(robot, "automation");
        server.post("/v1/service-accounts", key, json(Map.of("name", created))).expect(201);
        return sa;
    }

    @Test
    @Order(1)
    void theLogShowsServiceAccountActorsAsTheirAddressAndTheChainAsVerified() {
        String robot = unique("deploy-bot");
        String created = unique("made-by-bot");
        String email = serviceAccountActs(robot, created).get("email").asText();
        assertThat(email).startsWith(robot + "@").contains(".sa.");

        open("#/audit", "Audit log");
        WebElement chain = waitFor(By.cssSelector("main .chain-status .badge-ok"));
        assertEveryControlIsLabelled();
        assertThat(chain.getText()).isEqualTo("Chain verified");
        long checked = api().get("/v1/audit-events/verify").get("events_checked").asLong();
        assertThat(driver.findElement(By.cssSelector("main .chain-status")).getText()).contains("events checked");
        assertThat(checked).isPositive();

        WebElement byRobot = row("service_account:" + created);
        assertThat(byRobot.getText()).contains(email, "Service account", "service_account.create", "Success");

        // one action: the service account's create and the admin's side by side, told apart by their addresses
        WebElement unfiltered = driver.findElement(By.cssSelector("main .audit-results"));
        go("#/audit?action=service_account.create");
        wait.until(ExpectedConditions.stalenessOf(unfiltered));
        waitFor(By.cssSelector("main .audit-results[aria-busy=false]"));
        assertThat(column(2)).containsOnly("service_account.create");
        assertThat(rowWhere(3, "service_account:" + created).getText()).contains(email, "Service account");
        assertThat(rowWhere(3, "service_account:" + robot).getText()).contains("admin@localhost").doesNotContain("Service account");
        screenshot("audit");
    }

    /** Submits the filter form and waits until the page has re-rendered with the new filters and loaded the events. */
    private WebElement applyFilters(WebElement filters) {
        WebElement old = driver.findElement(By.cssSelector("main .audit-results"));
        submit(filters);
        wait.until(ExpectedConditions.stalenessOf(old));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main .audit-results[aria-busy=false]")));
        return form("Filter audit events");
    }

    @Test
    @Order(2)
    void filtersByActorActionTargetAndTimeSurviveAReloadAndMatchTheApi() {
        String robot = unique("filter-bot");
        String created = unique("filtered");
        String email = serviceAccountActs(robot, created).get("email").asText();
        api().post("/v1/service-accounts/" + created + "/keys", Map.of("name", "k1"));

        open("#/audit", "Audit log");
        WebElement filters = form("Filter audit events");
        type(filters, "actor", email);
        filters = applyFilters(filters);
        assertThat(driver.getCurrentUrl()).endsWith("#/audit?actor=" + q(email));
        // every row is the robot's, and the page shows exactly what the API holds for this filter
        List<JsonNode> held = api().audit("actor=" + q(email));
        assertThat(held).extracting(e -> e.get("action").asText()).contains("service_account.create");
        assertThat(column(1)).hasSize(held.size()).allMatch(actor -> actor.contains(email) && actor.contains("Service account"));
        row("service_account:" + created);

        // the filters are in the address, so a reload shows the same events
        reload();
        waitFor(By.cssSelector("main .audit-results[aria-busy=false]"));
        filters = form("Filter audit events");
        assertThat(control(filters, "actor").getAttribute("value")).isEqualTo(email);
        assertThat(column(1)).hasSize(held.size());

        // action and target together: the admin's key.create on the new account
        type(filters, "actor", "");
        type(filters, "action", "key.create");
        type(filters, "target", "service_account:" + created);
        filters = applyFilters(filters);
        List<JsonNode> keyEvents = api().audit("action=key.create&target=" + q("service_account:" + created));
        assertThat(keyEvents).hasSize(1);
        assertThat(column(2)).containsExactly("key.create");
        assertThat(column(3).get(0)).isEqualTo(keyEvents.get(0).get("target").asText()).startsWith("service_account:" + created + "/key:");

        // a time window that ends before anything happened shows the empty state
        type(filters, "until", "2000-01-01 00:00");
        filters = applyFilters(filters);
        assertThat(driver.getCurrentUrl()).contains("until=2000-01-01T00%3A00%3A00Z");
        assertThat(waitFor(By.cssSelector("main .empty")).getText()).isEqualTo("No events match these filters.");
        String yesterday = Instant.now().minus(1, ChronoUnit.DAYS).toString().substring(0, 16).replace('T', ' ');
        type(filters, "until", "");
        type(filters, "since", yesterday);
        filters = applyFilters(filters);
        assertThat(column(2)).containsExactly("key.create");

        driver.findElement(By.id("clear-filters")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("#/audit"));
        wait.until(d -> control(form("Filter audit events"), "target").getAttribute("value").isEmpty());
    }

    @Test
    @Order(3)
    void aMalformedTimeIsShownNextToItsField() {
        open("#/audit", "Audit log");
        WebElement filters = form("Filter audit events");
        type(filters, "since", "yesterday");
        filters = applyFilters(filters);
        assertThat(fieldError(filters, "since")).contains("'since' must be an RFC 3339 time");
        assertThat(server.get("/v1/audit-events?since=yesterday", server.adminKey()).status()).isEqualTo(400);
    }

    @Test
    @Order(4)
    void theLogIsUsableOnAPhone() {
        try {
            windowSize(390, 844);
            open("#/audit", "Audit log");
            waitFor(By.cssSelector("main .audit-results[aria-busy=false] table"));
            assertThat(fitsTheWindow()).isTrue();
            assertThat(driver.findElement(By.cssSelector("main .audit-results .table-wrap")).getCssValue("overflow-x")).isIn("auto", "scroll");
            screenshot("audit-phone");
        } finally {
            windowSize(1280, 900);
        }
    }

    @Test
    @Order(5)
    void aTamperedChainIsShownAsAWarning() throws Exception {
        String victim = api().audit("action=service_account.create").get(0).get("id").asText();
        try (Connection c = server.servitor().database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE audit_events SET actor = 'someone-else@example.com' WHERE id = ?")) {
            s.setString(1, victim);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        JsonNode check = api().get("/v1/audit-events/verify");
        assertThat(check.get("intact").asBoolean()).isFalse();

        open("#/audit", "Audit log");
        WebElement warning = waitFor(By.cssSelector("main .chain-status.chain-broken"));
        wait.until(d -> warning.getText().contains("Chain broken"));
        assertThat(warning.getAttribute("role")).isEqualTo("alert");
        assertThat(warning.getText()).contains(check.get("first_broken_id").asText(), "cannot be trusted");
        assertThat(present(By.cssSelector("main .chain-status .badge-ok"))).isFalse();
        screenshot("audit-broken-chain");
    }
}
