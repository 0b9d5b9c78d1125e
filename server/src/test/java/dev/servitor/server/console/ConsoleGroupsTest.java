// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/** The Groups page: groups with their roles and members, created, edited and deleted. */
class ConsoleGroupsTest extends AdminPagesTestBase {

    @Test
    void anAdminCreatesAGroupSeesItsMembersEditsAndDeletesIt() {
        String role = unique("deployer");
        api().post("/v1/roles", Map.of("name", role, "permissions", List.of("deploy:write")));
        open("#/groups", "Groups");

        String name = unique("release");
        WebElement form = openCreateForm("new-group", "New group");
        assertEveryControlIsLabelled();
        type(form, "name", name);
        type(form, "description", "Release engineering");
        check(form, "roles", "viewer", true);
        check(form, "roles", role, true);
        submit(form);

        assertThat(row(name).getText()).contains("Release engineering", "viewer", role);
        JsonNode held = api().get("/v1/groups/" + name);
        assertThat(held.get("description").asText()).isEqualTo("Release engineering");
        assertThat(held.get("roles")).extracting(JsonNode::asText).containsExactlyInAnyOrder("viewer", role);

        // a service account joins the group through the API; the group's page lists it
        String member = unique("ci-bot");
        api().post("/v1/service-accounts", Map.of("name", member, "groups", List.of(name)));
        screenshot("groups");
        labelled("Open " + name).click();
        waitForHeading("Group " + name);
        assertThat(row(member).getText()).contains(member + "@");
        assertThat(mainText()).contains("Members (1)");
        screenshot("group");

        String renamed = name + "-renamed";
        WebElement edit = form("Edit group " + name);
        type(edit, "name", renamed);
        check(edit, "roles", "viewer", false);
        submit(edit);
        waitForHeading("Group " + renamed);
        held = api().get("/v1/groups/" + renamed);
        assertThat(held.get("roles")).extracting(JsonNode::asText).containsExactly(role);
        assertThat(api().status("/v1/groups/" + name)).isEqualTo(404);
        assertThat(api().get("/v1/service-accounts/" + member).get("groups")).extracting(JsonNode::asText).containsExactly(renamed);

        clickButton(driver.findElement(org.openqa.selenium.By.id("main")), "Delete group");
        String question = confirm("Delete group");
        assertThat(question).contains("Delete group " + renamed + "?", "1 service account", member, "lose the roles");
        waitForHeading("Groups");
        waitNoRow(renamed);
        assertThat(api().status("/v1/groups/" + renamed)).isEqualTo(404);
        assertThat(api().get("/v1/service-accounts/" + member).get("groups")).isEmpty();
    }

    @Test
    void aTakenOrMalformedNameIsShownNextToTheNameField() {
        String existing = unique("ops");
        api().post("/v1/groups", Map.of("name", existing, "roles", List.of("viewer")));
        open("#/groups", "Groups");
        WebElement form = openCreateForm("new-group", "New group");
        type(form, "name", existing);
        submit(form);
        assertThat(fieldError(form, "name")).contains("A group named '" + existing + "' already exists");

        type(form, "name", "no spaces allowed");
        submit(form);
        assertThat(fieldError(form, "name")).contains("'name'");
        assertThat(api().get("/v1/groups").get("groups")).extracting(g -> g.get("name").asText())
            .doesNotContain("no spaces allowed");
    }

    @Test
    void anEmptyOrganizationShowsAnEmptyGroupList() {
        // this class's server is shared; the empty state is what a fresh one shows before anyone adds a group
        api().get("/v1/groups").get("groups").forEach(g -> server.delete("/v1/groups/" + g.get("name").asText(), server.adminKey()));
        open("#/groups", "Groups");
        assertThat(waitFor(org.openqa.selenium.By.cssSelector("main .empty")).getText()).contains("No groups yet");
    }
}
