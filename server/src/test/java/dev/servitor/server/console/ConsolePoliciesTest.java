// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/** The Network policies page: allowed and blocked lists created, edited and deleted. */
class ConsolePoliciesTest extends AdminPagesTestBase {

    @Test
    void anAdminCreatesEditsAndDeletesAPolicy() {
        open("#/policies", "Network policies");
        String name = unique("office");
        WebElement form = openCreateForm("new-policy", "New network policy");
        assertEveryControlIsLabelled();
        type(form, "name", name);
        type(form, "description", "Office and VPN only");
        type(form, "allowed_ips", "203.0.113.0/24\n2001:db8::/32\n");
        type(form, "blocked_ips", "203.0.113.66");
        submit(form);

        assertThat(row(name).getText()).contains("Office and VPN only", "203.0.113.0/24", "2001:db8::/32", "203.0.113.66");
        JsonNode held = api().get("/v1/network-policies/" + name);
        assertThat(held.get("allowed_ips")).extracting(JsonNode::asText).containsExactly("203.0.113.0/24", "2001:db8::/32");
        assertThat(held.get("blocked_ips")).extracting(JsonNode::asText).containsExactly("203.0.113.66");
        screenshot("policies");

        labelled("Edit " + name).click();
        waitForHeading("Edit network policy " + name);
        WebElement edit = form("Edit network policy " + name);
        type(edit, "allowed_ips", "198.51.100.7");
        control(edit, "blocked_ips").clear();
        submit(edit);
        waitForHeading("Network policies");
        assertThat(row(name).getText()).contains("198.51.100.7").doesNotContain("203.0.113.0/24");
        held = api().get("/v1/network-policies/" + name);
        assertThat(held.get("allowed_ips")).extracting(JsonNode::asText).containsExactly("198.51.100.7");
        assertThat(held.get("blocked_ips")).isEmpty();

        labelled("Delete " + name).click();
        assertThat(confirm("Delete policy")).contains("Delete network policy " + name + "?", "1 allowed, 0 blocked");
        waitNoRow(name);
        assertThat(api().status("/v1/network-policies/" + name)).isEqualTo(404);
    }

    @Test
    void aBadEntryIsShownNextToItsListWithTheApiMessage() {
        open("#/policies", "Network policies");
        String name = unique("typo");
        WebElement form = openCreateForm("new-policy", "New network policy");
        type(form, "name", name);
        type(form, "allowed_ips", "10.0.0.0/8");
        type(form, "blocked_ips", "10.0.0.1\n10.0.0.300\n");
        submit(form);

        assertThat(fieldError(form, "blocked_ips"))
            .contains("Line 2", "'10.0.0.300'", "is not an IPv4 or IPv6 address or CIDR");
        assertThat(api().status("/v1/network-policies/" + name)).isEqualTo(404);
    }

    @Test
    void aPolicyInUseIsNotDeletedAndThePageSaysWhy() {
        String name = unique("attached");
        api().post("/v1/network-policies", Map.of("name", name, "allowed_ips", List.of("0.0.0.0/0", "::/0")));
        String guarded = unique("guarded");
        api().post("/v1/service-accounts", Map.of("name", guarded, "network_policy", name));
        open("#/policies", "Network policies");
        labelled("Delete " + name).click();
        confirm("Delete policy");
        assertThat(pageError()).contains("'" + name + "' is attached to");
        assertThat(api().status("/v1/network-policies/" + name)).isEqualTo(200);
        server.delete("/v1/service-accounts/" + guarded, server.adminKey()).expect(204);
    }

    @Test
    void noPoliciesShowsTheEmptyState() {
        // the class's server is shared: remove what other tests left (none of it is attached any more)
        api().get("/v1/network-policies?page_size=1000").get("network_policies")
            .forEach(p -> server.delete("/v1/network-policies/" + p.get("name").asText(), server.adminKey()).expect(204));
        open("#/policies", "Network policies");
        assertThat(waitFor(org.openqa.selenium.By.cssSelector("main .empty")).getText()).contains("No network policies yet");
    }
}
