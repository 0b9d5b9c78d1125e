// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/** Logging in to the console as a human user, being refused as a service account, logging out. */
class ConsoleLoginTest extends ConsoleTestBase {

    @Test
    void aHumanUserLogsInAndTheConsoleShowsWhoIsLoggedIn() {
        String user = createAdminUser("alice", "alice's long password");
        go("#/accounts");
        waitFor(By.cssSelector("form.login-form")); // not logged in: the app sends you to the log-in page
        assertThat(driver.getCurrentUrl()).endsWith("#/login");
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
        screenshot("login");

        login(user, "alice's long password");

        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isTrue();
        assertThat(driver.getCurrentUrl()).endsWith("#/accounts");
        Cookie session = driver.manage().getCookieNamed("servitor_session");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        // the API holds a session for alice: the cookie is hers, and the log-in is audited
        assertThat(whoamiWithCookie(session.getValue()).at("/principal/name").asText()).isEqualTo(user);
        assertThat(api().audit("action=session.login")).anyMatch(e -> e.get("target").asText().equals("user:" + user));
        // nothing is kept in web storage
        assertThat(js("return localStorage.length + sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void aWrongPasswordIsRefusedNextToTheForm() {
        String user = createAdminUser("bob", "bob's long password");
        logoutIfNeeded();
        go("#/login");
        WebElement form = waitFor(By.cssSelector("form.login-form"));
        type(form, "username", user);
        type(form, "password", "not bob's password");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        WebElement alert = waitFor(By.cssSelector("form.login-form [role=alert]"));
        assertThat(alert.getText()).contains("Wrong user name or password");
        assertThat(control(form, "password").getAttribute("value")).isEmpty();
        assertThat(driver.manage().getCookieNamed("servitor_session")).isNull();
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
    }

    @Test
    void aServiceAccountIsRefusedWithAClearMessage() {
        String account = unique("robot");
        server.createServiceAccount(account);
        String key = server.createKey(account, "k");
        logoutIfNeeded();
        go("#/login");
        WebElement form = waitFor(By.cssSelector("form.login-form"));
        type(form, "username", account);
        type(form, "password", key);
        form.findElement(By.cssSelector("button[type=submit]")).click();

        WebElement alert = waitFor(By.cssSelector("form.login-form [role=alert]"));
        assertThat(alert.getText()).contains("Service accounts cannot log in to the console");
        assertThat(driver.manage().getCookieNamed("servitor_session")).isNull();
        // the page says it before anyone tries, too
        assertThat(mainText()).contains("service accounts cannot");
        // and the API started no session for the account
        assertThat(api().audit("action=session.login")).noneMatch(e -> e.get("target").asText().contains(account));
    }

    @Test
    void loggingOutEndsTheSessionOnTheServer() {
        String user = createAdminUser("carol", "carol's long password");
        logoutIfNeeded();
        login(user, "carol's long password");
        String cookie = driver.manage().getCookieNamed("servitor_session").getValue();
        assertThat(whoamiWithCookie(cookie).at("/principal/name").asText()).isEqualTo(user);

        driver.findElement(By.id("logout")).click();

        waitFor(By.cssSelector("form.login-form"));
        assertThat(driver.findElement(By.id("notice")).getAttribute("textContent")).contains("logged out");
        assertThat(driver.manage().getCookieNamed("servitor_session")).isNull();
        assertThat(server.send(whoamiRequest(cookie)).status()).isEqualTo(401);
        assertThat(api().audit("action=session.logout")).anyMatch(e -> e.get("actor").asText().equals(user + "@example.com"));
    }

    private void logoutIfNeeded() {
        go("#/login");
        if (driver.manage().getCookieNamed("servitor_session") != null) {
            WebElement logout = waitFor(By.id("logout"));
            logout.click();
            waitFor(By.cssSelector("form.login-form"));
        }
    }

    private JsonNode whoamiWithCookie(String cookie) {
        return server.send(whoamiRequest(cookie)).expect(200).json();
    }

    private HttpRequest whoamiRequest(String cookie) {
        return HttpRequest.newBuilder(URI.create(server.url() + "/v1/whoami")).header("Cookie", "servitor_session=" + cookie).GET().build();
    }

}
