// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * What the tests of the admin pages (users, groups, roles, network policies, workspaces, audit,
 * organization) share on top of {@link ConsoleTestBase}: finding forms, rows and the error
 * shown next to a field.
 */
abstract class AdminPagesTestBase extends ConsoleTestBase {

    /** Opens {@code hash} logged in as this class's org admin and waits for the page heading. */
    protected void open(String hash, String heading) {
        loginAsAdmin();
        go(hash);
        waitForHeading(heading);
    }

    /** The form whose accessible name (aria-label) is {@code label}, once visible. */
    protected WebElement form(String label) {
        return waitFor(By.cssSelector("form[aria-label=\"" + label + "\"]"));
    }

    /** Clicks the "New …" button {@code id} and returns the form it shows. */
    protected WebElement openCreateForm(String buttonId, String formLabel) {
        waitFor(By.id(buttonId)).click();
        return form(formLabel);
    }

    protected void submit(WebElement form) {
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    protected void select(WebElement form, String name, String value) {
        new Select(control(form, name)).selectByValue(value);
    }

    /** Sets the single checkbox {@code name} to {@code on}. */
    protected void check(WebElement form, String name, boolean on) {
        WebElement box = control(form, name);
        if (box.isSelected() != on) box.click();
    }

    /** Sets the checkbox {@code value} of the checkbox group {@code name} to {@code on}. */
    protected void check(WebElement form, String name, String value, boolean on) {
        WebElement box = form.findElement(By.cssSelector("input[type=checkbox][name=\"" + name + "\"][value=\"" + value + "\"]"));
        if (box.isSelected() != on) box.click();
    }

    /** Waits for the error shown next to the field {@code name} of {@code form} and returns it; the control is marked invalid. */
    protected String fieldError(WebElement form, String name) {
        By slot = By.cssSelector("[data-field=\"" + name + "\"] .field-error");
        wait.until(d -> form.findElement(slot).isDisplayed() && !form.findElement(slot).getText().isBlank());
        WebElement wrapper = form.findElement(By.cssSelector("[data-field=\"" + name + "\"]"));
        String invalid = wrapper.findElement(By.cssSelector("input, select, textarea")).getAttribute("aria-invalid");
        if (!"true".equals(invalid)) throw new AssertionError("field " + name + " is not marked aria-invalid");
        return form.findElement(slot).getText();
    }

    /** The row of the table in main whose text contains {@code text}, once it is there. */
    protected WebElement row(String text) {
        return wait.until(d -> d.findElements(By.cssSelector("main table tbody tr")).stream()
            .filter(r -> r.getText().contains(text)).findFirst().orElse(null));
    }

    /** The row of the table in main whose cell {@code column} (0-based) reads exactly {@code text}, once it is there. */
    protected WebElement rowWhere(int column, String text) {
        return wait.until(d -> d.findElements(By.cssSelector("main table tbody tr")).stream()
            .filter(r -> r.findElements(By.tagName("td")).get(column).getText().trim().equals(text)).findFirst().orElse(null));
    }

    /** Waits until no row of the table in main contains {@code text}. */
    protected void waitNoRow(String text) {
        wait.until(d -> d.findElements(By.cssSelector("main table tbody tr")).stream().noneMatch(r -> r.getText().contains(text)));
    }

    /** The element with this accessible name (e.g. the button "Delete ci-bot"). */
    protected WebElement labelled(String ariaLabel) {
        return waitFor(By.cssSelector("[aria-label=\"" + ariaLabel + "\"]"));
    }

    protected boolean present(By locator) {
        return !driver.findElements(locator).isEmpty();
    }

    /** Waits for the page-level error (an alert in main outside any form) and returns its text. */
    protected String pageError() {
        return waitFor(By.cssSelector("main .page-error")).getText();
    }

    /** Waits for the status message the console announces (aria-live) to contain {@code text}. */
    protected void waitForNotice(String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), text));
    }

    /** The texts of the cells of column {@code index} (0-based) of the table in main. */
    protected List<String> column(int index) {
        return driver.findElements(By.cssSelector("main table tbody tr")).stream()
            .map(r -> r.findElements(By.tagName("td")).get(index).getText()).toList();
    }

    /** Every visible form control in main has a label (its own, or an aria-label) screen readers announce. */
    protected void assertEveryControlIsLabelled() {
        Object unlabelled = js("return [...document.querySelectorAll('main input, main select, main textarea')]"
            + ".filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name || e.outerHTML)");
        org.assertj.core.api.Assertions.assertThat((List<?>) unlabelled).as("controls without a label").isEmpty();
    }

    /** True when the page needs no sideways scrolling as a whole (tables scroll inside their own region). */
    protected boolean fitsTheWindow() {
        return (Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth + 1");
    }
}
