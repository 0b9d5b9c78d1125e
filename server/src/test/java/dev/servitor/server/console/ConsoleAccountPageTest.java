// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** An account's page: keys (create shown once, revoke, rotate), client secret, compute settings, linked users. */
class ConsoleAccountPageTest extends ConsoleTestBase {

    @BeforeEach
    void loggedIn() {
        loginAsAdmin();
    }

    @Test
    void aNewKeyIsShownOnceWithACopyButtonAndWorks() {
        String name = unique("keyed");
        server.createServiceAccount(name);
        openAccount(name);
        WebElement form = openKeyForm();
        type(form, "name", "deploy");
        type(form, "description", "GitHub Actions");
        new Select(control(form, "type")).selectByValue("read_scaling");
        new Select(control(form, "expiry")).selectByValue("days");
        type(form, "expiry_amount", "30");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        WebElement dialog = dialog();
        assertThat(dialog.getText()).contains("This will not be shown again");
        String secret = dialog.findElement(By.cssSelector("input.secret-value")).getAttribute("value");
        assertThat(secret).startsWith("svt_");
        clickButton(dialog, "Copy");
        waitForText(By.cssSelector("dialog[open] .copy-status"), "Cop"); // "Copied…" or the select-and-press hint
        screenshot("key-shown-once");
        confirm("Done");
        waitFor(By.xpath("//tr[td[text()='deploy']]"));

        // the key works, with the type and expiry chosen on the page
        JsonNode who = server.get("/v1/whoami", secret).expect(200).json();
        assertThat(who.at("/principal/name").asText()).isEqualTo(name);
        assertThat(who.at("/credential/type").asText()).isEqualTo("read_scaling");
        JsonNode held = api().get("/v1/service-accounts/" + name + "/keys").get("keys").get(0);
        Instant expires = Instant.parse(held.get("expires_at").asText());
        assertThat(Duration.between(Instant.now(), expires).toDays()).isBetween(29L, 30L);
        assertThat(held.get("description").asText()).isEqualTo("GitHub Actions");
        // the table shows it, and the secret is nowhere on the page any more
        String row = driver.findElement(By.xpath("//tr[td[text()='deploy']]")).getText();
        assertThat(row).contains("read_scaling", held.get("prefix").asText(), "Never");
        assertThat(driver.getPageSource()).doesNotContain(secret);
        js("window.scrollTo(0, 0)"); // the key form had scrolled the page; show the account from its top
        screenshot("account");
    }

    @Test
    void anOutOfRangeExpiryIsShownNextToItsField() {
        String name = unique("ranged");
        server.createServiceAccount(name);
        openAccount(name);
        WebElement form = openKeyForm();
        type(form, "name", "too-long");
        new Select(control(form, "expiry")).selectByValue("days");
        type(form, "expiry_amount", "99999");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        WebElement error = waitFor(By.cssSelector("[data-field=expiry_amount] .field-error"));
        assertThat(error.getText()).containsIgnoringCase("expires_in_days");
        assertThat(api().get("/v1/service-accounts/" + name + "/keys").get("keys")).isEmpty();
    }

    @Test
    void revokingAKeyAsksThenStopsIt() {
        String name = unique("revoker");
        server.createServiceAccount(name);
        String key = server.createKey(name, "old-key");
        openAccount(name);
        driver.findElement(By.cssSelector("button[aria-label='Revoke key old-key']")).click();
        assertThat(confirm("Revoke key")).contains("Revoke key old-key?", "stops working at once");

        waitFor(By.xpath("//section[.//h2[text()='API keys']]//p[contains(@class,'empty')]"));
        assertThat(server.get("/v1/whoami", key).status()).isEqualTo(401);
        assertThat(api().get("/v1/service-accounts/" + name + "/keys").get("keys")).isEmpty();
    }

    @Test
    void rotatingAKeyShowsTheNewKeyOnceAndRetiresTheOld() {
        String name = unique("rotator");
        server.createServiceAccount(name);
        String old = server.createKey(name, "svc");
        openAccount(name);
        driver.findElement(By.cssSelector("button[aria-label='Rotate key svc']")).click();
        assertThat(confirm("Rotate key")).contains("old key stops working immediately");

        WebElement dialog = dialog();
        assertThat(dialog.getText()).contains("This will not be shown again");
        String fresh = dialog.findElement(By.cssSelector("input.secret-value")).getAttribute("value");
        confirm("Done");

        assertThat(fresh).isNotEqualTo(old).startsWith("svt_");
        assertThat(server.get("/v1/whoami", fresh).status()).isEqualTo(200);
        assertThat(server.get("/v1/whoami", old).status()).isEqualTo(401);
        assertThat(api().get("/v1/service-accounts/" + name + "/keys").get("keys")).hasSize(1);
    }

    @Test
    void aClientSecretIsShownOnceWithTheClientIdAndBuysATokens() {
        String name = unique("oauth");
        String id = server.createServiceAccount(name).get("id").asText();
        openAccount(name);
        assertThat(driver.findElement(By.id("client-id")).getText()).isEqualTo(id);
        clickButton(driver.findElement(By.xpath("//section[.//h2[starts-with(text(),'Client secret')]]")), "Generate client secret");
        confirm("Generate secret");

        WebElement dialog = dialog();
        assertThat(dialog.getText()).contains("client_id", id, "This will not be shown again");
        String secret = dialog.findElement(By.cssSelector("input.secret-value")).getAttribute("value");
        assertThat(secret).startsWith("svs_");
        screenshot("client-secret");
        confirm("Done");

        String basic = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        var token = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
            .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build()).expect(200).json();
        assertThat(server.get("/v1/whoami", token.get("access_token").asText()).expect(200).json().at("/principal/name").asText())
            .isEqualTo(name);
    }

    @Test
    void computeSettingsAreShownAndSavedWithErrorsNextToTheField() {
        String name = unique("ducks");
        server.createServiceAccount(name);
        openAccount(name);
        WebElement form = waitFor(By.cssSelector("form.compute-form"));
        assertThat(control(form, "config.read_write.instance_size").getAttribute("value")).isEqualTo("standard");
        assertThat(control(form, "config.read_scaling.flock_size").getAttribute("value")).isEqualTo("1");

        type(form, "config.read_write.instance_size", "enormous");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement error = waitFor(By.cssSelector("[data-field='config.read_write.instance_size'] .field-error"));
        assertThat(error.getText()).isNotBlank();

        type(form, "config.read_write.instance_size", "jumbo");
        type(form, "config.read_scaling.instance_size", "pulse");
        type(form, "config.read_scaling.flock_size", "4");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitForText(By.id("notice"), "Compute settings of " + name + " saved");
        assertThat(driver.findElements(By.cssSelector("form.compute-form .field-error:not([hidden])"))).isEmpty();
        JsonNode config = api().get("/v1/service-accounts/" + name + "/instances").get("config");
        assertThat(config.at("/read_write/instance_size").asText()).isEqualTo("jumbo");
        assertThat(config.at("/read_scaling/instance_size").asText()).isEqualTo("pulse");
        assertThat(config.at("/read_scaling/flock_size").asInt()).isEqualTo(4);
    }

    @Test
    void linkedUsersAreListed() {
        String name = unique("shared");
        server.createServiceAccount(name);
        String ws = unique("sales");
        api().post("/v1/workspaces", Map.of("name", ws));
        api().post("/v1/workspaces/" + ws + "/users", Map.of("name", "loader", "service_account", name));
        JsonNode held = api().get("/v1/service-accounts/" + name).get("linked_users");
        assertThat(held).hasSize(1);

        openAccount(name);
        WebElement section = driver.findElement(By.xpath("//section[.//h2[text()='Linked users']]"));
        assertThat(section.findElements(By.cssSelector("li")).stream().map(WebElement::getText).toList())
            .containsExactly(held.get(0).asText());

        String alone = unique("alone");
        server.createServiceAccount(alone);
        openAccount(alone);
        assertThat(driver.findElement(By.xpath("//section[.//h2[text()='Linked users']]")).getText())
            .contains("No workspace user is linked to " + alone);
    }

    private void openAccount(String name) {
        go("#/accounts/" + name);
        waitForHeading(name);
        // the sections load in parallel: wait for each (keys, workload identities, compute)
        waitFor(By.xpath("//section[.//h2[text()='API keys']]//table | //section[.//h2[text()='API keys']]//p[contains(@class,'empty')]"));
        waitFor(By.cssSelector("#workload-identities table, #workload-identities p.empty"));
        waitFor(By.cssSelector("form.compute-form"));
    }

    private WebElement openKeyForm() {
        clickButton(driver.findElement(By.xpath("//section[.//h2[text()='API keys']]")), "Create key");
        return waitFor(By.cssSelector("form.key-form"));
    }
}
