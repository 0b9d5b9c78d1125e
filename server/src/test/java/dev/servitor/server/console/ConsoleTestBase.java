// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servitor.server.testing.TestServer;
import dev.servitor.testing.TestDatabases;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SessionNotCreatedException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Base of the console's browser tests: one real Servitor (SQLite, loopback port) and one
 * headless Debian Chromium driven by Selenium per test class. Chromium and its driver come from
 * the system (/usr/bin/chromium, /usr/bin/chromedriver; {@code .ci/run} installs them), so
 * Selenium never downloads anything. Outside CI the class is skipped when they are missing; in CI
 * (env CI set) it fails. Run with {@code -Dservitor.screenshots=true} to save screenshots of the
 * pages into {@code docs/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConsoleTestBase {
    protected static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    protected static final String CHROMIUM = "/usr/bin/chromium";
    protected static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    protected TestServer server;
    protected ChromeDriver driver;
    protected WebDriverWait wait;
    private Path profile;

    @BeforeAll
    void startServerAndBrowser() throws IOException {
        boolean installed = Files.isExecutable(Path.of(CHROMEDRIVER)) && Files.isExecutable(Path.of(CHROMIUM));
        if (!installed) {
            if (System.getenv("CI") != null) fail("CI needs chromium and chromium-driver (apt-get install chromium chromium-driver)");
            assumeTrue(false, "chromium and chromium-driver are not installed; the console tests need them");
        }
        server = TestServer.start(TestDatabases.Engine.SQLITE, this::configure);
        profile = Files.createTempDirectory("servitor-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1280,900", "--user-data-dir=" + profile);
        driver = startChromium(options);
        // pages re-render after a change: an element found just before may be replaced while a wait polls it
        wait = (WebDriverWait) new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class);
    }

    /** Adjusts the configuration of this class's server; the defaults unless overridden. */
    protected dev.servitor.config.ServitorConfig configure(dev.servitor.config.ServitorConfig config) {
        return config;
    }

    /** A second attempt when Chromium does not come up: on a loaded machine its first start can time out. */
    private static ChromeDriver startChromium(ChromeOptions options) {
        try {
            return new ChromeDriver(chromedriverService(), options);
        } catch (SessionNotCreatedException first) {
            return new ChromeDriver(chromedriverService(), options);
        }
    }

    private static ChromeDriverService chromedriverService() {
        return new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    }

    @AfterAll
    void stopServerAndBrowser() throws IOException {
        if (driver != null) driver.quit();
        if (server != null) server.close();
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ------------------------------------------------------------------ navigation and waits

    /** Opens the console at {@code hash} (e.g. "#/accounts"); only the hash changes when the console is already open. */
    protected void go(String hash) {
        driver.get(server.url() + "/console/" + hash);
    }

    /** Loads the console afresh (a reload: in-memory state such as an impersonation is gone). */
    protected void reload() {
        driver.navigate().refresh();
    }

    protected WebElement waitFor(By locator) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    protected void waitForText(By locator, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
    }

    protected void waitGone(By locator) {
        wait.until(ExpectedConditions.invisibilityOfElementLocated(locator));
    }

    /** Waits until the page heading (the h1 in main) reads {@code title}. */
    protected void waitForHeading(String title) {
        wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), title));
    }

    /** The text of main, for assertions on what the page shows. */
    protected String mainText() {
        return driver.findElement(By.id("main")).getText();
    }

    /** The control named {@code name} (inside {@code scope}, e.g. a form or dialog). */
    protected WebElement control(WebElement scope, String name) {
        return scope.findElement(By.name(name));
    }

    protected void type(WebElement scope, String name, String text) {
        WebElement el = control(scope, name);
        el.clear();
        el.sendKeys(text);
    }

    /** Clicks the button with exactly this text inside {@code scope}. */
    protected void clickButton(WebElement scope, String text) {
        scope.findElements(By.tagName("button")).stream().filter(b -> b.getText().trim().equals(text) && b.isDisplayed())
            .findFirst().orElseThrow(() -> new AssertionError("no button '" + text + "' in " + scope.getText())).click();
    }

    /** The open modal dialog. */
    protected WebElement dialog() {
        return waitFor(By.cssSelector("dialog[open]"));
    }

    /**
     * Answers the open dialog with its button {@code label} and waits until that dialog is gone
     * (by identity: the next dialog, e.g. a secret shown after a confirmation, may already be open).
     * Returns the dialog's text.
     */
    protected String confirm(String label) {
        WebElement d = dialog();
        String text = d.getText();
        clickButton(d, label);
        wait.until(ExpectedConditions.stalenessOf(d));
        return text;
    }

    protected Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Sets the browser window's size, e.g. 390 wide for a phone. */
    protected void windowSize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    // ------------------------------------------------------------------ logging in

    /** A human org-admin user with a password, created through the API; returns its user name. */
    protected String createAdminUser(String base, String password) {
        String name = unique(base);
        api().post("/v1/users", Map.of("username", name, "email", name + "@example.com", "password", password, "is_org_admin", true));
        return name;
    }

    /** Logs in through the log-in page and waits until the console shows the user. */
    protected void login(String user, String password) {
        go("#/login");
        WebElement form = waitFor(By.cssSelector("form.login-form"));
        type(form, "username", user);
        type(form, "password", password);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitForText(By.id("who-name"), user);
    }

    /** Logs in as a fresh org-admin user of this class (created once). */
    protected void loginAsAdmin() {
        if (adminUser == null) adminUser = createAdminUser("console-admin", ADMIN_PASSWORD);
        go("#/accounts");
        boolean loggedIn = driver.findElements(By.id("who-name")).stream()
            .anyMatch(e -> e.isDisplayed() && e.getText().equals(adminUser));
        if (!loggedIn) login(adminUser, ADMIN_PASSWORD);
    }

    protected static final String ADMIN_PASSWORD = "correct horse battery staple";
    protected String adminUser;

    // ------------------------------------------------------------------ the API, as the bootstrap admin

    protected AdminApi api() {
        return new AdminApi();
    }

    /** JSON calls with the bootstrap admin's key: to set up fixtures and to check what the API holds. */
    protected final class AdminApi {
        public JsonNode get(String path) {
            return server.get(path, server.adminKey()).expect(200).json();
        }

        public int status(String path) {
            return server.get(path, server.adminKey()).status();
        }

        public JsonNode post(String path, Object body) {
            TestServer.Response r = server.post(path, server.adminKey(), body == null ? null : json(body));
            if (r.status() / 100 != 2) throw new AssertionError("POST " + path + ": " + r.status() + " " + r.body());
            return r.body().isEmpty() ? null : r.json();
        }

        public JsonNode patch(String path, Object body) {
            return server.patch(path, server.adminKey(), json(body)).expect(200).json();
        }

        /** The audit events matching {@code query} (e.g. "action=key.create"). */
        public List<JsonNode> audit(String query) {
            JsonNode events = get("/v1/audit-events?" + query).get("audit_events");
            return events == null ? List.of() : iterate(events);
        }

        private static List<JsonNode> iterate(JsonNode array) {
            List<JsonNode> out = new java.util.ArrayList<>();
            array.forEach(out::add);
            return out;
        }
    }

    protected static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A name no other test of this run uses. */
    protected static String unique(String base) {
        return base + "-" + COUNTER.incrementAndGet();
    }

    // ------------------------------------------------------------------ screenshots

    /** Saves a PNG of the window to docs/screenshots/{name}.png when -Dservitor.screenshots=true. */
    protected void screenshot(String name) {
        if (!Boolean.getBoolean("servitor.screenshots")) return;
        Path cwd = Path.of("").toAbsolutePath();
        Path root = Files.isDirectory(cwd.resolve("docs")) && !Files.exists(cwd.resolve("src")) ? cwd : cwd.getParent();
        Path target = root.resolve("docs").resolve("screenshots").resolve(name + ".png");
        try {
            Files.createDirectories(target.getParent());
            File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(target).exists();
    }
}
