// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The Roles page: built-in roles read-only, custom roles created, edited and deleted. */
class ConsoleRolesTest extends AdminPagesTestBase {

    @Test
    void builtInRolesAreShownReadOnly() {
        open("#/roles", "Roles");
        for (String builtIn : List.of("admin", "contributor", "user", "viewer", "inference-user")) {
            WebElement r = row(builtIn);
            assertThat(r.getText()).contains("Built-in");
            assertThat(r.findElements(By.tagName("button"))).isEmpty();
            assertThat(present(By.cssSelector("[aria-label=\"Delete " + builtIn + "\"]"))).isFalse();
        }
        assertThat(row("inference-user").getText()).contains("inference:*", "models:read");
        // a built-in role cannot be opened for editing either
        go("#/roles?edit=viewer");
        waitForHeading("Roles");
        assertThat(waitFor(By.cssSelector("main [role=alert]")).getText()).contains("built-in role and cannot change");
    }

    @Test
    void anAdminCreatesEditsAndDeletesACustomRole() {
        open("#/roles", "Roles");
        String name = unique("analyst");
        WebElement form = openCreateForm("new-role", "New role");
        type(form, "name", name);
        type(form, "description", "Reads models and runs inference");
        type(form, "permissions", "models:read\ninference:*\n");
        submit(form);

        assertThat(row(name).getText()).contains("Reads models and runs inference", "models:read", "inference:*");
        JsonNode held = api().get("/v1/roles/" + name);
        assertThat(held.get("permissions")).extracting(JsonNode::asText).containsExactly("models:read", "inference:*");
        assertThat(held.get("built_in").asBoolean()).isFalse();
        screenshot("roles");

        labelled("Edit " + name).click();
        waitForHeading("Edit role " + name);
        WebElement edit = form("Edit role " + name);
        assertThat(control(edit, "permissions").getAttribute("value")).isEqualTo("models:read\ninference:*");
        type(edit, "permissions", "models:read\nbilling:read");
        submit(edit);
        waitForHeading("Roles");
        assertThat(row(name).getText()).contains("billing:read").doesNotContain("inference:*");
        assertThat(api().get("/v1/roles/" + name).get("permissions")).extracting(JsonNode::asText)
            .containsExactly("models:read", "billing:read");

        labelled("Delete " + name).click();
        assertThat(confirm("Delete role")).contains("Delete role " + name + "?", "models:read, billing:read");
        waitNoRow(name);
        assertThat(api().status("/v1/roles/" + name)).isEqualTo(404);
    }

    @Test
    void aRoleCanBeCreatedWithTheKeyboardAloneAndFocusIsVisible() {
        open("#/roles", "Roles");
        waitFor(By.id("new-role")).sendKeys(Keys.ENTER);
        WebElement form = form("New role");
        assertEveryControlIsLabelled();
        WebElement focused = driver.switchTo().activeElement();
        assertThat(focused.getAttribute("name")).isEqualTo("name"); // showing the form moves focus into it
        String name = unique("keyboard");
        focused.sendKeys(name, Keys.TAB);
        assertThat(driver.switchTo().activeElement().getAttribute("name")).isEqualTo("description");
        assertThat(driver.switchTo().activeElement().getCssValue("outline-style")).isEqualTo("solid");
        driver.switchTo().activeElement().sendKeys("Typed, never clicked", Keys.TAB);
        driver.switchTo().activeElement().sendKeys("audit:read", Keys.TAB);
        WebElement submit = driver.switchTo().activeElement();
        assertThat(submit.getText()).isEqualTo("Create role");
        submit.sendKeys(Keys.ENTER);

        assertThat(row(name).getText()).contains("Typed, never clicked", "audit:read");
        assertThat(api().get("/v1/roles/" + name).get("permissions")).extracting(JsonNode::asText).containsExactly("audit:read");
    }

    @Test
    void aBadPermissionIsShownNextToThePermissionsWithItsLine() {
        open("#/roles", "Roles");
        String name = unique("broken");
        WebElement form = openCreateForm("new-role", "New role");
        type(form, "name", name);
        type(form, "permissions", "models:read\nmodels read\n");
        submit(form);

        assertThat(fieldError(form, "permissions")).contains("Line 2", "'models read'", "must be 1-128 characters");
        assertThat(api().status("/v1/roles/" + name)).isEqualTo(404);
    }

    @Test
    void aRoleStillHeldCannotBeDeletedAndThePageSaysWhy() {
        String name = unique("held");
        api().post("/v1/roles", Map.of("name", name, "permissions", List.of("x:read")));
        api().post("/v1/service-accounts", Map.of("name", unique("holder"), "role", name));
        open("#/roles", "Roles");
        labelled("Delete " + name).click();
        confirm("Delete role");
        assertThat(pageError()).contains("'" + name + "' is held by");
        assertThat(api().status("/v1/roles/" + name)).isEqualTo(200);
    }
}
