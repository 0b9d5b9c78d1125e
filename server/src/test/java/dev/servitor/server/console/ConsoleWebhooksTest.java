// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servitor.config.ServitorConfig;
import dev.servitor.testing.WebhookReceiver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The Webhooks page, through headless Chromium, against a real server delivering to a real receiver. */
class ConsoleWebhooksTest extends AdminPagesTestBase {
    private WebhookReceiver receiver;

    @Override
    protected ServitorConfig configure(ServitorConfig config) {
        return config.withOutbound(new ServitorConfig.Outbound(List.of(), true)); // plain http to the loopback receiver
    }

    @BeforeAll
    void startReceiver() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    void stopReceiver() {
        if (receiver != null) receiver.close();
    }

    @BeforeEach
    void oneEndpointAtATime() {
        receiver.failAlways(false);
        receiver.clear();
        for (JsonNode w : api().get("/v1/webhooks").get("webhooks")) server.delete("/v1/webhooks/" + w.get("id").asText(), server.adminKey()).expect(204);
    }

    private JsonNode createdByApi(String... events) {
        return api().post("/v1/webhooks", Map.of("url", receiver.url(), "events", List.of(events)));
    }

    /** A screenshot without the notice another test may have left showing. */
    private void cleanScreenshot(String name) {
        js("document.getElementById('notice').classList.remove('visible')");
        screenshot(name);
    }

    /** Clicks "Refresh" on the deliveries view until the first row contains {@code text}. */
    private void refreshUntilFirstDelivery(String text) {
        wait.until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("main table tbody tr"));
            if (!rows.isEmpty() && rows.get(0).getText().contains(text)) return true;
            clickButton(d.findElement(By.cssSelector("main .page-header")), "Refresh");
            return false;
        });
    }

    @Test
    void create_shows_the_signing_secret_once_and_send_test_reaches_the_receiver_signed_with_it() {
        open("#/webhooks", "Webhooks");
        assertEveryControlIsLabelled();
        WebElement form = openCreateForm("new-webhook", "New webhook");
        type(form, "url", receiver.url());
        check(form, "events", "*", true);
        type(form, "description", "Security team SIEM");
        submit(form);
        WebElement dialog = dialog();
        String secret = dialog.findElement(By.cssSelector("input.secret-value")).getAttribute("value");
        assertThat(secret).startsWith("whsec_");
        assertThat(dialog.getText()).contains("will not be shown again").doesNotContain("hash");
        assertThat(dialog.findElements(By.xpath(".//button[normalize-space()='Copy']"))).hasSize(1);
        cleanScreenshot("webhook-secret");
        confirm("Done");

        WebElement row = row(receiver.url());
        assertThat(row.getText()).contains("All events", "Enabled", "Security team SIEM");
        assertThat(driver.getPageSource()).doesNotContain(secret);
        JsonNode stored = api().get("/v1/webhooks").get("webhooks").get(0);
        assertThat(stored.get("events").get(0).asText()).isEqualTo("*");

        labelled("Send test to " + receiver.url()).click();
        waitForNotice("Test event queued");
        WebhookReceiver.Received got = receiver.awaitType("webhook.test");
        assertThat(got.signedWith(secret)).isTrue();

        labelled("Deliveries of " + receiver.url()).click();
        waitForHeading("Deliveries");
        refreshUntilFirstDelivery("Delivered");
        WebElement delivery = driver.findElement(By.cssSelector("main table tbody tr"));
        assertThat(delivery.getText()).contains("webhook.test", got.id(), "204");
        cleanScreenshot("webhook-deliveries");
    }

    @Test
    void a_bad_url_or_no_event_is_shown_next_to_its_field_and_nothing_is_created() {
        open("#/webhooks", "Webhooks");
        WebElement form = openCreateForm("new-webhook", "New webhook");
        type(form, "url", "ftp://example.com/hook");
        check(form, "events", "key.created", true);
        submit(form);
        assertThat(fieldError(form, "url")).isNotBlank();
        type(form, "url", receiver.url());
        check(form, "events", "key.created", false);
        submit(form);
        assertThat(fieldError(form, "events")).isNotBlank();
        assertThat(api().get("/v1/webhooks").get("webhooks")).isEmpty();
    }

    @Test
    void disable_and_enable_show_the_status_and_send_test_waits_for_enabled() {
        createdByApi("key.created");
        open("#/webhooks", "Webhooks");
        labelled("Disable " + receiver.url()).click();
        confirm("Disable");
        wait.until(d -> row(receiver.url()).getText().contains("Disabled by an admin"));
        assertThat(labelled("Send test to " + receiver.url()).isEnabled()).isFalse();
        assertThat(api().get("/v1/webhooks").get("webhooks").get(0).get("disabled").asBoolean()).isTrue();
        labelled("Enable " + receiver.url()).click();
        wait.until(d -> row(receiver.url()).getText().contains("Enabled"));
        assertThat(api().get("/v1/webhooks").get("webhooks").get(0).get("disabled").asBoolean()).isFalse();
    }

    @Test
    void a_failed_delivery_shows_its_error_and_retry_sends_the_same_event_again() {
        String id = createdByApi("webhook.test").get("id").asText();
        receiver.failAlways(true);
        String eventId = api().post("/v1/webhooks/" + id + "/test", null).get("event_id").asText();
        wait.until(d -> api().get("/v1/webhooks/" + id + "/deliveries").get("deliveries").get(0).get("attempt").asInt() >= 1);

        open("#/webhooks", "Webhooks");
        WebElement row = row(receiver.url());
        assertThat(row.findElements(By.tagName("td")).get(3).getText()).endsWith("UTC"); // failing since the first failure

        go("#/webhooks?deliveries=" + id);
        waitForHeading("Deliveries");
        WebElement delivery = row("webhook.test");
        assertThat(delivery.getText()).contains("Pending", "500", "Next:");
        receiver.failAlways(false);
        receiver.clear();
        String deliveryId = api().get("/v1/webhooks/" + id + "/deliveries").get("deliveries").get(0).get("id").asText();
        labelled("Retry delivery " + deliveryId).click();
        waitForNotice("will be sent again");
        assertThat(receiver.awaitType("webhook.test").id()).isEqualTo(eventId);
        refreshUntilFirstDelivery("Delivered");
        assertThat(api().audit("action=webhook.retry")).isNotEmpty();
    }

    @Test
    void rotate_secret_shows_the_new_secret_once_and_deliveries_are_signed_with_it() {
        JsonNode w = createdByApi("webhook.test");
        open("#/webhooks", "Webhooks");
        labelled("Rotate secret of " + receiver.url()).click();
        confirm("Rotate secret");
        String fresh = dialog().findElement(By.cssSelector("input.secret-value")).getAttribute("value");
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(w.get("secret").asText());
        confirm("Done");
        api().post("/v1/webhooks/" + w.get("id").asText() + "/test", null);
        assertThat(receiver.awaitType("webhook.test").signedWith(fresh)).isTrue();
    }

    @Test
    void delete_asks_first_and_removes_the_endpoint() {
        String id = createdByApi("*").get("id").asText();
        open("#/webhooks", "Webhooks");
        cleanScreenshot("webhooks");
        labelled("Delete " + receiver.url()).click();
        assertThat(confirm("Delete webhook")).contains("cannot be undone");
        waitNoRow(receiver.url());
        assertThat(api().status("/v1/webhooks/" + id)).isEqualTo(404);
    }

    @Test
    void the_key_list_marks_a_key_that_expires_within_seven_days() {
        String sa = unique("expiring");
        api().post("/v1/service-accounts", Map.of("name", sa));
        api().post("/v1/service-accounts/" + sa + "/keys", Map.of("name", "soon", "expires_in_days", 3));
        api().post("/v1/service-accounts/" + sa + "/keys", Map.of("name", "later", "expires_in_days", 30));
        api().post("/v1/service-accounts/" + sa + "/keys", Map.of("name", "never"));
        loginAsAdmin();
        go("#/accounts/" + sa);
        waitForText(By.id("keys-title"), "API keys");
        WebElement soon = row("soon");
        assertThat(soon.getText()).contains("expires in 3 days");
        assertThat(row("later").getText()).doesNotContain("expires in");
        assertThat(row("never").getText()).doesNotContain("expires in");
    }
}
