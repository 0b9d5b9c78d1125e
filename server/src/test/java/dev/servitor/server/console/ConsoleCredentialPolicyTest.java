// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Organization page's credential policy: shown in plain words, changed in its own form, and
 * in force for the next key created on an account's page. Its own class (own server), because the
 * policy it sets would refuse the never-expiring keys other console tests create.
 */
class ConsoleCredentialPolicyTest extends AdminPagesTestBase {

    private WebElement policyForm() {
        return form("Credential policy");
    }

    private String policyShown() {
        return waitFor(By.cssSelector("dl.policy-facts")).getText();
    }

    @Test
    void anAdminSetsThePolicySeesItInPlainWordsAndTheKeyFormObeysIt() {
        String orgHeading = "Organization " + api().get("/v1/org").get("name").asText();
        open("#/org", orgHeading);
        assertThat(policyShown()).contains("no limit", "Unused keys are never revoked", "A leaked key is revoked",
            "Every service account needs a network policy: no");

        WebElement form = policyForm();
        type(form, "max_key_lifetime_days", "30");
        type(form, "dormant_after_days", "90");
        select(form, "on_leak", "notify");
        submit(form);
        waitForNotice("Credential policy saved.");
        wait.until(d -> policyShown().contains("Keys may live at most 30 days"));
        assertThat(policyShown()).contains("Unused keys are revoked after 90 days", "A leaked key is only reported",
            "Every service account needs a network policy: no");
        JsonNode policy = api().get("/v1/org").get("credential_policy");
        assertThat(policy.get("max_key_lifetime_days").asInt()).isEqualTo(30);
        assertThat(policy.get("dormant_after_days").asInt()).isEqualTo(90);
        assertThat(policy.get("on_leak").asText()).isEqualTo("notify");
        assertThat(policy.get("require_network_policy").asBoolean()).isFalse();
        assertThat(control(policyForm(), "max_key_lifetime_days").getAttribute("value")).isEqualTo("30");
        assertEveryControlIsLabelled();
        js("arguments[0].scrollIntoView()", waitFor(By.cssSelector("dl.policy-facts")));
        screenshot("org-credential-policy");

        // an out-of-range value is shown next to its field, and nothing changes
        form = policyForm();
        type(form, "dormant_after_days", "5000");
        submit(form);
        assertThat(fieldError(form, "dormant_after_days")).contains("'credential_policy.dormant_after_days' must be between 1 and 3650");
        assertThat(api().get("/v1/org").get("credential_policy")).isEqualTo(policy);

        // a key created afterwards on an account's page with a longer expiry is refused with the policy's message
        String account = unique("bounded");
        server.createServiceAccount(account);
        go("#/accounts/" + account);
        waitForHeading(account);
        waitFor(By.cssSelector("form.compute-form"));
        clickButton(driver.findElement(By.xpath("//section[.//h2[text()='API keys']]")), "Create key");
        WebElement keyForm = waitFor(By.cssSelector("form.key-form"));
        type(keyForm, "name", "too-long");
        new Select(control(keyForm, "expiry")).selectByValue("days");
        type(keyForm, "expiry_amount", "31");
        submit(keyForm);
        assertThat(fieldError(keyForm, "expiry_amount"))
            .contains("'expires_in_days' exceeds the organization's credential policy: keys live at most 30 days");
        assertThat(api().get("/v1/service-accounts/" + account + "/keys").get("keys")).isEmpty();

        // emptying the lifetime removes the limit
        open("#/org", orgHeading);
        form = policyForm();
        control(form, "max_key_lifetime_days").clear();
        submit(form);
        wait.until(d -> api().get("/v1/org").at("/credential_policy/max_key_lifetime_days").isNull());
        wait.until(d -> policyShown().contains("no limit"));
    }
}
