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

/** The key form's restriction fields and the key list's restrictions, in headless Chromium against a real server. */
class ConsoleKeyRestrictionsTest extends ConsoleTestBase {

    @BeforeEach
    void loggedIn() {
        loginAsAdmin();
    }

    private String accountWithRole() {
        String role = unique("deployer");
        api().post("/v1/roles", Map.of("name", role, "permissions", List.of("deployments:read", "deployments:create")));
        String name = unique("restricted");
        api().post("/v1/service-accounts", Map.of("name", name, "role", role));
        return name;
    }

    private void openAccount(String name) {
        go("#/accounts/" + name);
        waitForHeading(name);
        waitFor(By.cssSelector("form.compute-form"));
    }

    private WebElement keysSection() {
        return driver.findElement(By.xpath("//section[.//h2[text()='API keys']]"));
    }

    private void check(WebElement form, String permission) {
        form.findElement(By.xpath(".//fieldset[@data-field='permissions']//label[text()='" + permission + "']")).click();
    }

    @Test
    void aKeyCreatedWithRestrictionsIsHeldToThemAndTheListShowsThem() {
        String name = accountWithRole();
        openAccount(name);
        clickButton(keysSection(), "Create key");
        WebElement form = waitFor(By.cssSelector("form.key-form"));
        type(form, "name", "narrow");
        check(form, "deployments:read");
        type(form, "allowed_ips", "127.0.0.1\n10.0.0.0/8");
        type(form, "rate_limit", "100");
        type(form, "rate_period", "60");
        type(form, "remaining_uses", "1000");
        type(form, "refill_amount", "500");
        screenshot("key-form-restrictions");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        String secret = dialog().findElement(By.cssSelector("input.secret-value")).getAttribute("value");
        confirm("Done");
        WebElement row = waitFor(By.xpath("//tr[td[text()='narrow']]"));
        assertThat(row.getText()).contains("permissions: deployments:read").contains("IPs: 127.0.0.1, 10.0.0.0/8")
            .contains("100 per 60 s").contains("1000 uses, refilled to 500 every day");

        JsonNode r = api().get("/v1/service-accounts/" + name + "/keys").get("keys").get(0).get("restrictions");
        assertThat(r.get("permissions").get(0).asText()).isEqualTo("deployments:read");
        assertThat(r.get("allowed_ips")).hasSize(2);
        assertThat(r.get("rate_limit").get("period_seconds").asInt()).isEqualTo(60);
        assertThat(r.get("refill").get("amount").asLong()).isEqualTo(500);
        JsonNode who = server.get("/v1/whoami", secret).expect(200).json();
        assertThat(who.get("permissions")).hasSize(1);
        assertThat(who.get("permissions").get(0).asText()).isEqualTo("deployments:read");
    }

    @Test
    void aBadAddressIsShownNextToItsLineAndNothingIsCreated() {
        String name = accountWithRole();
        openAccount(name);
        clickButton(keysSection(), "Create key");
        WebElement form = waitFor(By.cssSelector("form.key-form"));
        type(form, "name", "bad");
        type(form, "allowed_ips", "10.0.0.0/8\n10.0.0.300");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitForText(By.cssSelector("[data-field='allowed_ips'] .field-error"), "Line 2, '10.0.0.300'");
        assertThat(control(form, "allowed_ips").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(api().get("/v1/service-accounts/" + name + "/keys").get("keys")).isEmpty();
    }

    @Test
    void restrictingAKeyChangesItAtOnceAndClearingEverythingLiftsIt() {
        String name = accountWithRole();
        JsonNode k = api().post("/v1/service-accounts/" + name + "/keys", Map.of("name", "k",
            "restrictions", Map.of("allowed_ips", List.of("127.0.0.1"), "permissions", List.of("deployments:read"))));
        String secret = k.get("key").asText();
        server.get("/v1/whoami", secret).expect(200);
        openAccount(name);
        WebElement row = waitFor(By.xpath("//tr[td[text()='k']]"));
        row.findElement(By.cssSelector("button[aria-label='Restrict key k']")).click();
        WebElement form = waitFor(By.cssSelector("form.key-form"));
        assertThat(control(form, "allowed_ips").getAttribute("value")).isEqualTo("127.0.0.1");
        assertThat(form.findElement(By.xpath(".//input[@name='permissions' and @value='deployments:read']")).isSelected()).isTrue();
        type(form, "allowed_ips", "10.0.0.0/8");
        clickButton(form, "Save restrictions");
        waitForText(By.xpath("//tr[td[text()='k']]"), "IPs: 10.0.0.0/8");
        assertThat(server.get("/v1/whoami", secret).status()).isEqualTo(403);
        assertThat(api().audit("action=key.update")).isNotEmpty();

        driver.findElement(By.cssSelector("button[aria-label='Restrict key k']")).click();
        form = waitFor(By.cssSelector("form.key-form"));
        control(form, "allowed_ips").clear();
        form.findElement(By.xpath(".//fieldset[@data-field='permissions']//label[text()='deployments:read']")).click();
        clickButton(form, "Save restrictions");
        waitFor(By.xpath("//tr[td[text()='k'] and td[text()='None']]"));
        assertThat(server.get("/v1/whoami", secret).expect(200).json().get("permissions")).hasSize(2);
    }
}
