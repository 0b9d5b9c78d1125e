// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The Workspaces page: workspaces and their users (linked to service accounts), created, edited and deleted. */
class ConsoleWorkspacesTest extends AdminPagesTestBase {

    @Test
    void anAdminCreatesAWorkspaceLinksAUserToAServiceAccountAndCleansUp() {
        String account = unique("etl");
        server.createServiceAccount(account);
        open("#/workspaces", "Workspaces");
        WebElement defaultRow = row("default");
        assertThat(defaultRow.getText()).contains("Default");
        assertThat(present(By.cssSelector("[aria-label=\"Delete default\"]"))).isFalse(); // the default workspace stays

        String ws = unique("analytics");
        WebElement form = openCreateForm("new-workspace", "New workspace");
        type(form, "name", ws);
        submit(form);
        row(ws);
        assertThat(api().get("/v1/workspaces/" + ws).get("name").asText()).isEqualTo(ws);
        screenshot("workspaces");

        labelled("Users of " + ws).click();
        waitForHeading("Workspace " + ws);
        assertThat(waitFor(By.cssSelector("main .empty")).getText()).contains("no users yet");
        WebElement add = openCreateForm("new-workspace-user", "New workspace user");
        assertEveryControlIsLabelled();
        type(add, "name", "etl-user");
        select(add, "service_account", account);
        type(add, "default_database", "warehouse");
        submit(add);

        assertThat(row("etl-user").getText()).contains(account, "warehouse");
        JsonNode user = api().get("/v1/workspaces/" + ws + "/users/etl-user");
        assertThat(user.get("service_account").asText()).isEqualTo(account);
        assertThat(user.get("default_database").asText()).isEqualTo("warehouse");
        screenshot("workspace-users");

        // a service account is linked to one user per workspace: the linked one is no longer offered here
        WebElement again = openCreateForm("new-workspace-user", "New workspace user");
        assertThat(again.findElements(By.cssSelector("select[name=service_account] option[value=\"" + account + "\"]"))).isEmpty();

        labelled("Edit etl-user").click();
        waitForHeading("Edit etl-user in " + ws);
        WebElement edit = form("Edit workspace user etl-user");
        assertThat(control(edit, "service_account").getAttribute("value")).isEqualTo(account);
        type(edit, "default_engine", "nightly");
        select(edit, "service_account", "");
        submit(edit);
        waitForHeading("Workspace " + ws);
        assertThat(row("etl-user").getText()).contains("nightly").doesNotContain(account);
        user = api().get("/v1/workspaces/" + ws + "/users/etl-user");
        assertThat(user.get("default_engine").asText()).isEqualTo("nightly");
        assertThat(user.get("service_account").isNull()).isTrue();

        labelled("Delete etl-user").click();
        assertThat(confirm("Delete user")).contains("Delete user etl-user from " + ws + "?");
        waitForText(By.cssSelector("main .empty"), "no users yet");
        assertThat(api().get("/v1/workspaces/" + ws + "/users").get("users")).isEmpty();

        go("#/workspaces");
        waitForHeading("Workspaces");
        labelled("Delete " + ws).click();
        assertThat(confirm("Delete workspace")).contains("Delete workspace " + ws + "?", "empty workspace");
        waitNoRow(ws);
        assertThat(api().status("/v1/workspaces/" + ws)).isEqualTo(404);
    }

    @Test
    void aBadNameIsShownNextToTheNameField() {
        open("#/workspaces", "Workspaces");
        WebElement form = openCreateForm("new-workspace", "New workspace");
        type(form, "name", "-starts-with-a-dash");
        submit(form);
        assertThat(fieldError(form, "name")).contains("'name'");
        assertThat(api().status("/v1/workspaces/-starts-with-a-dash")).isEqualTo(404);
    }

    @Test
    void aWorkspaceWithUsersIsNotDeletedAndThePageSaysWhichUsers() {
        String ws = unique("busy");
        api().post("/v1/workspaces", Map.of("name", ws));
        api().post("/v1/workspaces/" + ws + "/users", Map.of("name", "keeper"));
        open("#/workspaces", "Workspaces");
        labelled("Delete " + ws).click();
        assertThat(pageError()).contains("still has 1 user", "keeper", "delete them first");
        assertThat(present(By.cssSelector("dialog[open]"))).isFalse();
        assertThat(api().status("/v1/workspaces/" + ws)).isEqualTo(200);
    }

    @Test
    void aWorkspaceWithMoreUsersThanOnePageShowsThemAll() {
        String ws = unique("crowded");
        api().post("/v1/workspaces", Map.of("name", ws));
        for (int i = 0; i < 60; i++) api().post("/v1/workspaces/" + ws + "/users", Map.of("name", String.format("member-%02d", i)));
        open("#/workspaces", "Workspaces");
        labelled("Users of " + ws).click();
        waitForHeading("Workspace " + ws);
        assertThat(row("member-59").getText()).contains("member-59"); // past the API's first page of 50
        assertThat(driver.findElements(By.cssSelector("main tbody tr"))).hasSize(60);
    }
}
