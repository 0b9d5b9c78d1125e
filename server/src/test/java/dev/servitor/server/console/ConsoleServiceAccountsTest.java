// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** The service-account list (search, paging), create with validation, edit, disable/enable and delete. */
class ConsoleServiceAccountsTest extends ConsoleTestBase {

    @BeforeEach
    void loggedIn() {
        windowSize(1280, 900);
        loginAsAdmin();
    }

    @Test
    void theListShowsEachAccountAndIsSearchableAndPaged() {
        String prefix = unique("fleet");
        for (int i = 0; i < 23; i++) api().post("/v1/service-accounts", Map.of("name", String.format("%s-%02d", prefix, i)));
        api().post("/v1/service-accounts/" + prefix + "-03/disable", null);
        server.createKey(prefix + "-00", "k1");
        JsonNode first = api().get("/v1/service-accounts/" + prefix + "-00");

        go("#/accounts?q=" + prefix);
        waitForHeading("Service accounts");
        WebElement row = waitFor(By.xpath("//tr[td/a[text()='" + prefix + "-00']]"));
        assertThat(cells(row)).containsExactly(prefix + "-00", first.get("id").asText(), "user", "—", "—", "Active", "1",
            first.get("created_at").asText().substring(0, 16).replace('T', ' ') + " UTC");
        assertThat(rowNames()).hasSize(20).allMatch(n -> n.startsWith(prefix));
        screenshot("accounts");

        clickButton(driver.findElement(By.cssSelector("nav.pager")), "Next page");
        wait.until(d -> rowNames().size() == 3);
        assertThat(rowNames()).containsExactly(prefix + "-20", prefix + "-21", prefix + "-22");
        clickButton(driver.findElement(By.cssSelector("nav.pager")), "Previous page");
        wait.until(d -> rowNames().size() == 20);

        // the status filter asks the API for disabled accounts only
        new Select(driver.findElement(By.cssSelector("form[role=search] select[name=status]"))).selectByVisibleText("Disabled");
        wait.until(d -> rowNames().equals(List.of(prefix + "-03")));
        assertThat(driver.findElement(By.xpath("//tr[td/a[text()='" + prefix + "-03']]")).getText()).contains("Disabled");

        // a search without a match shows the empty state
        WebElement search = driver.findElement(By.cssSelector("form[role=search]"));
        type(search, "q", "no-such-account-prefix");
        new Select(control(search, "status")).selectByVisibleText("All");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "No service account matches this search."));
        assertThat(driver.getCurrentUrl()).contains("q=no-such-account-prefix");
    }

    @Test
    void creatingShowsTheApiValidationMessageNextToTheFieldThenCreates() {
        String group = unique("deployers");
        api().post("/v1/groups", Map.of("name", group, "roles", List.of("contributor")));
        String policy = unique("office");
        api().post("/v1/network-policies", Map.of("name", policy, "allowed_ips", List.of("127.0.0.0/8")));
        go("#/accounts");
        waitForHeading("Service accounts");
        clickButton(driver.findElement(By.cssSelector(".page-header")), "New service account");
        WebElement form = waitFor(By.cssSelector("form.account-form"));

        type(form, "name", "not a valid name!");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement error = waitFor(By.cssSelector("[data-field=name] .field-error"));
        assertThat(error.getText()).isNotBlank();
        assertThat(control(form, "name").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.switchTo().activeElement().getAttribute("name")).isEqualTo("name");
        screenshot("account-create-error");

        String name = unique("ci-bot");
        type(form, "name", name);
        type(form, "description", "CI pipeline");
        new Select(control(form, "role")).selectByValue("viewer");
        form.findElement(By.xpath(".//label[text()='" + group + "']")).click();
        new Select(control(form, "network_policy")).selectByValue(policy);
        form.findElement(By.xpath(".//label[text()='Organization admin']")).click();
        form.findElement(By.cssSelector("button[type=submit]")).click();

        waitForHeading(name);
        assertThat(mainText()).contains("CI pipeline", "viewer", group, policy);
        JsonNode held = api().get("/v1/service-accounts/" + name);
        assertThat(held.get("description").asText()).isEqualTo("CI pipeline");
        assertThat(held.get("role").asText()).isEqualTo("viewer");
        assertThat(held.get("groups").get(0).asText()).isEqualTo(group);
        assertThat(held.get("network_policy").asText()).isEqualTo(policy);
        assertThat(held.get("is_org_admin").asBoolean()).isTrue();
        assertThat(mainText()).contains(held.get("id").asText());
    }

    @Test
    void editingChangesTheAccountInTheApi() {
        String name = unique("editable");
        api().post("/v1/service-accounts", Map.of("name", name, "description", "before"));
        go("#/accounts/" + name);
        waitForHeading(name);
        clickButton(driver.findElement(By.cssSelector(".page-header")), "Edit");
        WebElement form = waitFor(By.cssSelector("form.account-form"));
        assertThat(control(form, "description").getAttribute("value")).isEqualTo("before");
        String renamed = name + "-renamed";
        type(form, "name", renamed);
        type(form, "description", "after");
        new Select(control(form, "role")).selectByValue("contributor");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        waitForHeading(renamed);
        assertThat(driver.getCurrentUrl()).endsWith("#/accounts/" + renamed);
        assertThat(mainText()).contains("after", "contributor");
        JsonNode held = api().get("/v1/service-accounts/" + renamed);
        assertThat(held.get("description").asText()).isEqualTo("after");
        assertThat(held.get("role").asText()).isEqualTo("contributor");
        assertThat(api().status("/v1/service-accounts/" + name)).isEqualTo(404);
    }

    @Test
    void disablingStopsItsKeysAndEnablingRestoresThem() {
        String name = unique("pausable");
        server.createServiceAccount(name);
        String key = server.createKey(name, "main");
        go("#/accounts/" + name);
        waitForHeading(name);

        clickButton(driver.findElement(By.cssSelector(".page-header")), "Disable");
        String question = confirm("Disable");
        assertThat(question).contains("Disable " + name + "?", "its 1 API key", "client secret", "access token");
        waitForText(By.id("account-status"), "Disabled");
        assertThat(api().get("/v1/service-accounts/" + name).get("disabled").asBoolean()).isTrue();
        assertThat(server.get("/v1/whoami", key).status()).isEqualTo(401);

        clickButton(driver.findElement(By.cssSelector(".page-header")), "Enable");
        waitForText(By.id("account-status"), "Active");
        assertThat(api().get("/v1/service-accounts/" + name).get("disabled").asBoolean()).isFalse();
        assertThat(server.get("/v1/whoami", key).status()).isEqualTo(200);
    }

    @Test
    void deletingAsksFirstNamingWhatStopsWorking() {
        String name = unique("doomed");
        server.createServiceAccount(name);
        String key = server.createKey(name, "one");
        server.createKey(name, "two");
        go("#/accounts/" + name);
        waitForHeading(name);

        // cancelling keeps it
        clickButton(driver.findElement(By.cssSelector(".page-header")), "Delete");
        assertThat(dialog().getText()).contains("Delete " + name + "?", "its 2 API keys", "its client secret", "every OAuth access token");
        screenshot("account-delete-confirm");
        confirm("Cancel");
        assertThat(api().status("/v1/service-accounts/" + name)).isEqualTo(200);

        clickButton(driver.findElement(By.cssSelector(".page-header")), "Delete");
        confirm("Delete service account");
        waitForHeading("Service accounts");
        assertThat(driver.findElement(By.id("notice")).getAttribute("textContent")).contains(name + " deleted");
        assertThat(api().status("/v1/service-accounts/" + name)).isEqualTo(404);
        assertThat(server.get("/v1/whoami", key).status()).isEqualTo(401);
    }

    @Test
    void deletingALinkedAccountShowsWhyItIsRefused() {
        String name = unique("linked");
        server.createServiceAccount(name);
        String ws = unique("analytics");
        api().post("/v1/workspaces", Map.of("name", ws));
        api().post("/v1/workspaces/" + ws + "/users", Map.of("name", "etl", "service_account", name));
        go("#/accounts/" + name);
        waitForHeading(name);

        clickButton(driver.findElement(By.cssSelector(".page-header")), "Delete");
        assertThat(dialog().getText()).contains("linked to workspace users");
        confirm("Delete service account");
        WebElement alert = waitFor(By.cssSelector("main .page-error"));
        assertThat(alert.getText()).contains("linked");
        assertThat(api().status("/v1/service-accounts/" + name)).isEqualTo(200);
    }

    @Test
    void theListIsUsableOnANarrowScreen() {
        String name = unique("narrow");
        server.createServiceAccount(name);
        windowSize(390, 844);
        try {
            go("#/accounts?q=" + name);
            waitFor(By.xpath("//tr[td/a[text()='" + name + "']]"));
            // the page itself does not scroll sideways; the table scrolls inside its region
            Object pageWidth = js("return document.documentElement.scrollWidth");
            Object viewport = js("return document.documentElement.clientWidth");
            assertThat(((Number) pageWidth).intValue()).isLessThanOrEqualTo(((Number) viewport).intValue());
            assertThat(driver.findElement(By.cssSelector("nav#nav")).isDisplayed()).isTrue();
            assertThat(mainText()).doesNotContain("null").doesNotContain("undefined");
            screenshot("accounts-390px");
        } finally {
            windowSize(1280, 900);
        }
    }

    private List<String> rowNames() {
        return driver.findElements(By.cssSelector("main tbody tr td:first-child a")).stream().map(WebElement::getText).toList();
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    }
}
