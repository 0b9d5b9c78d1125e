// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The Users page: human users listed, created, edited and deleted; never a service account. */
class ConsoleUsersTest extends AdminPagesTestBase {

    @Test
    void anAdminCreatesEditsAndDeletesAUser() {
        String account = unique("not-a-user");
        server.createServiceAccount(account);
        open("#/users", "Users");
        row(adminUser); // the admin who is logged in is listed
        assertThat(mainText()).doesNotContain(account); // service accounts never appear among users

        String name = unique("dana");
        WebElement form = openCreateForm("new-user", "New user");
        assertEveryControlIsLabelled();
        type(form, "username", name);
        type(form, "email", name + "@example.com");
        type(form, "password", "dana's long password");
        select(form, "role", "viewer");
        submit(form);

        WebElement created = row(name);
        assertThat(created.getText()).contains(name + "@example.com", "viewer", "Active");
        waitForNotice("User " + name + " created.");
        JsonNode held = api().get("/v1/users/" + name);
        assertThat(held.get("email").asText()).isEqualTo(name + "@example.com");
        assertThat(held.get("role").asText()).isEqualTo("viewer");
        assertThat(held.get("is_org_admin").asBoolean()).isFalse();
        screenshot("users");

        labelled("Edit " + name).click();
        waitForHeading("Edit user " + name);
        WebElement edit = form("Edit user " + name);
        type(edit, "email", name + "@example.org");
        select(edit, "role", "contributor");
        check(edit, "disabled", true);
        submit(edit);

        waitForHeading("Users");
        assertThat(row(name).getText()).contains(name + "@example.org", "contributor", "Disabled");
        held = api().get("/v1/users/" + name);
        assertThat(held.get("email").asText()).isEqualTo(name + "@example.org");
        assertThat(held.get("role").asText()).isEqualTo("contributor");
        assertThat(held.get("disabled").asBoolean()).isTrue();

        labelled("Delete " + name).click();
        String question = confirm("Delete user");
        assertThat(question).contains("Delete user " + name + "?", name + "@example.org", "API keys");
        waitNoRow(name);
        assertThat(api().status("/v1/users/" + name)).isEqualTo(404);
        assertThat(api().audit("action=user.delete")).anyMatch(e -> e.get("target").asText().equals("user:" + name));
    }

    @Test
    void aRefusedValueIsShownNextToItsFieldAndNothingIsCreated() {
        open("#/users", "Users");
        String name = unique("erin");
        WebElement form = openCreateForm("new-user", "New user");
        type(form, "username", name);
        type(form, "email", "not an address");
        submit(form);

        assertThat(fieldError(form, "email")).contains("'email' must be an e-mail address");
        assertThat(api().status("/v1/users/" + name)).isEqualTo(404);

        // a taken name is refused next to the name
        type(form, "username", adminUser);
        type(form, "email", "someone@example.com");
        submit(form);
        assertThat(fieldError(form, "username")).contains("already exists");
        assertThat(form.findElement(By.cssSelector("[data-field=email] .field-error")).isDisplayed()).isFalse();
    }

    @Test
    void anAdminChangingTheirOwnAddressConfirmsItWithTheirPassword() {
        String other = unique("hana");
        api().post("/v1/users", Map.of("username", other, "email", other + "@example.com"));
        open("#/users?edit=" + other, "Edit user " + other);
        assertThat(present(By.cssSelector("[data-field=current_password]"))).as("not asked when editing someone else").isFalse();

        go("#/users?edit=" + adminUser);
        waitForHeading("Edit user " + adminUser);
        WebElement edit = form("Edit user " + adminUser);
        type(edit, "email", adminUser + "@new.example");
        submit(edit);
        assertThat(fieldError(edit, "current_password")).contains("current password");
        assertThat(api().get("/v1/users/" + adminUser).get("email").asText()).isEqualTo(adminUser + "@example.com");

        type(edit, "current_password", ADMIN_PASSWORD);
        submit(edit);
        waitForHeading("Users");
        assertThat(api().get("/v1/users/" + adminUser).get("email").asText()).isEqualTo(adminUser + "@new.example");
    }

    @Test
    void cancellingTheDeleteKeepsTheUser() {
        String name = unique("frank");
        api().post("/v1/users", Map.of("username", name, "email", name + "@example.com"));
        open("#/users", "Users");
        labelled("Delete " + name).click();
        confirm("Cancel");
        assertThat(row(name).getText()).contains(name);
        assertThat(api().status("/v1/users/" + name)).isEqualTo(200);
    }

    @Test
    void theListIsUsableOnAPhone() {
        api().post("/v1/users", Map.of("username", unique("gina"), "email", "gina@example.com"));
        try {
            windowSize(390, 844);
            open("#/users", "Users");
            row("gina@example.com");
            assertThat(fitsTheWindow()).isTrue();
            // the table scrolls sideways inside its own labelled, focusable region
            WebElement region = driver.findElement(By.cssSelector("main .table-wrap"));
            assertThat(region.getAttribute("tabindex")).isEqualTo("0");
            assertThat(region.getCssValue("overflow-x")).isIn("auto", "scroll");
            screenshot("users-phone");
        } finally {
            windowSize(1280, 900);
        }
    }
}
